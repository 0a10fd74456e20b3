using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Collection;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Telemetry;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Offline;

public sealed class OfflineCollectSettings : CommonSettings
{
    [CommandOption("--env <ID>")] [Description("CartPole-v1, MountainCar-v0 or Acrobot-v1. Default: CartPole-v1.")] [DefaultValue("CartPole-v1")] public string Env { get; init; } = "CartPole-v1";
    [CommandOption("--online-steps <N>")] [Description("Environment steps of the online DQN run that trains the behaviour policy (its replay dataset has this many transitions). Default: 50000 (MountainCar 100000).")] public int? OnlineSteps { get; init; }
    [CommandOption("--transitions <N>")] [Description("Transitions per random / expert / mixed / noisy dataset. Default: as many as the online run's.")] public int? Transitions { get; init; }
    [CommandOption("--format <EXT>")] [Description("parquet or hdf5 (D4RL layout). Default: parquet.")] [DefaultValue("parquet")] public string Format { get; init; } = "parquet";
    [CommandOption("--seed <N>")] [Description("Seed of the online run and every collection. Default: 0.")] [DefaultValue(0)] public int Seed { get; init; }
}

/// <summary>rlpt offline collect: train a DQN behaviour policy online, then write Schweighofer et al.'s five datasets from it.</summary>
public sealed class OfflineCollectCommand : Command<OfflineCollectSettings>
{
    public const string ExpertFolder = "expert";

    public override int Execute(CommandContext context, OfflineCollectSettings settings, CancellationToken cancellationToken)
    {
        var environment = ControlEnvironments.Create(settings.Env);
        if (!environment.Actions.Discrete) throw new ArgumentException($"{environment.Id} has continuous actions; collect trains a DQN behaviour policy, so it takes CartPole-v1, MountainCar-v0 or Acrobot-v1.");
        if (settings.Format is not ("parquet" or "hdf5")) throw new ArgumentException($"unknown --format '{settings.Format}' (parquet, hdf5).");
        var online = OnlineDqnConfig.For(environment.Id);
        online = online with { TotalSteps = settings.OnlineSteps ?? online.TotalSteps, LearningStarts = Math.Min(online.LearningStarts, settings.OnlineSteps ?? online.TotalSteps) };
        online.Validate();
        int transitions = settings.Transitions ?? online.TotalSteps;
        if (transitions < 1) throw new ArgumentException($"--transitions must be positive (got {transitions}).");
        var run = new RunDirectory(settings.Out ?? $"runs/offline/{environment.Id}", settings.Quiet);
        run.WriteConfig(new { command = "offline collect", environment = environment.Id, online, transitions, seed = settings.Seed, format = settings.Format });
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var result = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar("online DQN", online.TotalSteps);
            double? last = null;
            var onlineRun = OnlineDqn.Train(environment.Id, online, settings.Seed, device, (step, evaluation) =>
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
        using var expert = runResult.Expert;
        new OfflinePolicyFolder(runResult.Shape, expert).Save(run.File(ExpertFolder));
        foreach (var (kind, dataset) in built) EpisodeDatasetFiles.Save(dataset, run.File($"{kind}.{settings.Format}"));
        LinePlot.Save(run.File("online_curve.png"), $"online double DQN on {environment.Id}", "environment steps", "greedy return",
            [new Series("greedy return", runResult.Curve.Select(p => (double)p.Step).ToArray(), runResult.Curve.Select(p => p.Return).ToArray())]);
        var summary = built.ToDictionary(kv => kv.Key, kv => new { transitions = kv.Value.Count, episodes = kv.Value.Episodes.Count, mean_return = kv.Value.EpisodeReturns().Average() });
        run.WriteJson("collection.json", new { environment = environment.Id, online_curve = runResult.Curve.Select(p => new { step = p.Step, greedy_return = p.Return }), best_greedy_return = runResult.ExpertReturn, datasets = summary });
        foreach (var (kind, s) in summary) Console.WriteLine($"{kind,-7} {s.transitions,8:N0} transitions {s.episodes,6:N0} episodes  mean return {s.mean_return,8:F1}");
        Console.WriteLine($"{environment.Id}: expert (best greedy return {runResult.ExpertReturn:F1}) in {run.File(ExpertFolder)}; datasets in {run.Path}");
        return 0;
    }
}
