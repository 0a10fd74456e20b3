using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Collection;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Online;
using Rlpt.Telemetry;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Offline;

public sealed class OfflineCollectSettings : CommonSettings
{
    [CommandOption("--env <ID>")] [Description("CartPole-v1, MountainCar-v0, Acrobot-v1 (double DQN) or Pendulum-v1 (SAC). Default: CartPole-v1.")] [DefaultValue("CartPole-v1")] public string Env { get; init; } = "CartPole-v1";
    [CommandOption("--online-steps <N>")] [Description("Environment steps of the online DQN run that trains the behaviour policy (its replay dataset has this many transitions). Default: rl-baselines3-zoo's budget for the task (CartPole 50000, MountainCar 120000, Acrobot 100000, Pendulum 20000).")] public int? OnlineSteps { get; init; }
    [CommandOption("--transitions <N>")] [Description("Transitions per random / expert / mixed / noisy dataset. Default: as many as the online run's.")] public int? Transitions { get; init; }
    [CommandOption("--format <EXT>")] [Description("parquet or hdf5 (D4RL layout). Default: parquet.")] [DefaultValue("parquet")] public string Format { get; init; } = "parquet";
    [CommandOption("--seed <N>")] [Description("Seed of the online run and every collection. Default: 0.")] [DefaultValue(0)] public int Seed { get; init; }
}

/// <summary>rlpt offline collect: train a behaviour policy online (double DQN or SAC), then write Schweighofer et al.'s five datasets from it.</summary>
public sealed class OfflineCollectCommand : Command<OfflineCollectSettings>
{
    public const string ExpertFolder = "expert";

    public override int Execute(CommandContext context, OfflineCollectSettings settings, CancellationToken cancellationToken)
    {
        var environment = ControlEnvironments.Create(settings.Env);
        if (settings.Format is not ("parquet" or "hdf5")) throw new ArgumentException($"unknown --format '{settings.Format}' (parquet, hdf5).");
        var online = OnlineConfig.For(environment.Id);
        int steps = settings.OnlineSteps ?? online.TotalSteps;
        online = online with { TotalSteps = steps, LearningStarts = Math.Min(online.LearningStarts, steps), RandomSteps = Math.Min(online.RandomSteps, steps) };
        online.Validate();
        int transitions = settings.Transitions ?? online.TotalSteps;
        if (transitions < 1) throw new ArgumentException($"--transitions must be positive (got {transitions}).");
        var run = new RunDirectory(settings.Out ?? $"runs/offline/{environment.Id}", settings.Quiet);
        run.WriteConfig(new { command = "offline collect", environment = environment.Id, online, transitions, seed = settings.Seed, format = settings.Format });
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var result = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var (learner, shape) = OnlineTraining.Create(environment.Id, online, settings.Seed, device);
            var bar = display.AddBar($"online {shape.Algorithm}", online.TotalSteps);
            double? last = null;
            using var metrics = new MetricsWriter(run.Path, append: false);
            var onlineRun = OnlineTraining.Run(learner, shape, online, settings.Seed, device, new OnlineOptions(KeepBest: true, Record: metrics.Write), (step, evaluation) =>
            {
                last = evaluation ?? last;
                bar.Update(step, last is { } r ? $"greedy return {r:F1}" : null);
            }, Interrupt.Token);
            var datasetsBar = display.AddBar("datasets", 1);
            var datasets = DatasetKinds.Build(onlineRun, transitions, settings.Seed, device);
            datasetsBar.Update(1);
            return (onlineRun, datasets);
        }, run.Log);
        var (runResult, built) = result;
        using var expert = runResult.Policy;
        new OfflinePolicyFolder(runResult.Shape, expert).Save(run.File(ExpertFolder));
        foreach (var (kind, dataset) in built) EpisodeDatasetFiles.Save(dataset, run.File($"{kind}.{settings.Format}"));
        LinePlot.Save(run.File("online_curve.png"), $"online {runResult.Shape.Algorithm} on {environment.Id}", "environment steps", "greedy return",
            [new Series("greedy return", runResult.Curve.Select(p => (double)p.Step).ToArray(), runResult.Curve.Select(p => p.Return).ToArray())]);
        var summary = built.ToDictionary(kv => kv.Key, kv => new { transitions = kv.Value.Count, episodes = kv.Value.Episodes.Count, mean_return = kv.Value.EpisodeReturns().Average() });
        run.WriteJson("collection.json", new { environment = environment.Id, online_curve = runResult.Curve.Select(p => new { step = p.Step, greedy_return = p.Return }), best_greedy_return = runResult.BestReturn, datasets = summary });
        foreach (var (kind, s) in summary) Console.WriteLine($"{kind,-7} {s.transitions,8:N0} transitions {s.episodes,6:N0} episodes  mean return {s.mean_return,8:F1}");
        Console.WriteLine($"{environment.Id}: expert (best greedy return {runResult.BestReturn:F1}) in {run.File(ExpertFolder)}; datasets in {run.Path}");
        return 0;
    }
}
