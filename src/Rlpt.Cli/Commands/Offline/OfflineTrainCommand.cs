using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Training;
using Rlpt.Training.Runs;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Offline;

public sealed class OfflineTrainSettings : TrainingSettings
{
    [CommandOption("--data <FILE>")] [Description("An episode dataset: .parquet (from `rlpt offline collect`) or D4RL-layout .hdf5/.h5.")] public string? Data { get; init; }
    [CommandOption("--env <ID>")] [Description("Environment to evaluate in, for a dataset that names none (D4RL files). Default: the dataset's.")] public string? Env { get; init; }
    [CommandOption("--algorithm <NAME>")] [Description("Discrete: bc, dqn, double_dqn, cql. Continuous: bc, cql, calql, iql, td3bc, sac. Default: cql.")] public string? Algorithm { get; init; }
    [CommandOption("--weighting <NAME>")] [Description("Trajectory weighting of the sampler: none, rw (return-weighted) or aw (advantage-weighted). Default: none.")] public string? Weighting { get; init; }
    [CommandOption("--weighting-alpha <A>")] [Description("Trajectory weighting's temperature. Default: 0.1.")] public double? WeightingAlpha { get; init; }
    [CommandOption("--max-steps <N>")] [Description("Gradient updates. Default: 10000.")] public int? MaxSteps { get; init; }
    [CommandOption("--batch-size <N>")] [Description("Transitions per update. Default: 256.")] public int? BatchSize { get; init; }
    [CommandOption("--learning-rate <LR>")] [Description("Adam learning rate. Default: 3e-4.")] public double? LearningRate { get; init; }
    [CommandOption("--gamma <G>")] [Description("Discount. Default: 0.99.")] public double? Gamma { get; init; }
    [CommandOption("--tau <T>")] [Description("Polyak factor of target networks. Default: 0.005.")] public double? Tau { get; init; }
    [CommandOption("--target-update-interval <N>")] [Description("Hard target copies every N updates instead of Polyak averaging (0 = Polyak). Default: 0.")] public int? TargetUpdateInterval { get; init; }
    [CommandOption("--cql-alpha <A>")] [Description("Discrete CQL's conservative weight. Default: 1.")] public double? CqlAlpha { get; init; }
    [CommandOption("--conservative-weight <W>")] [Description("Continuous CQL and Cal-QL: weight of the log-sum-exp gap. Default: 5.")] public double? ConservativeWeight { get; init; }
    [CommandOption("--iql-expectile <T>")] [Description("IQL's value expectile. Default: 0.7.")] public double? IqlExpectile { get; init; }
    [CommandOption("--iql-beta <B>")] [Description("IQL's advantage inverse temperature. Default: 3.")] public double? IqlBeta { get; init; }
    [CommandOption("--td3bc-alpha <A>")] [Description("TD3+BC's α (critic against behaviour cloning). Default: 2.5.")] public double? Td3BcAlpha { get; init; }
    [CommandOption("--hidden-size <N>")] [Description("Units per hidden layer. Default: 256.")] public int? HiddenSize { get; init; }
    [CommandOption("--num-layers <N>")] [Description("Hidden layers. Default: 2.")] public int? NumLayers { get; init; }
    [CommandOption("--max-grad-norm <N>")] [Description("Gradient clipping (0 = off). Default: 10.")] public double? MaxGradNorm { get; init; }
    [CommandOption("--eval-every <N>")] [Description("Environment evaluation every N updates (0 = at the end). Default: 1000.")] public int? EvalEvery { get; init; }
    [CommandOption("--eval-episodes <N>")] [Description("Episodes per evaluation. Default: 10.")] public int? EvalEpisodes { get; init; }
    [CommandOption("--save-every <N>")] [Description("Checkpoint every N updates. Default: 5000.")] public int? SaveEvery { get; init; }
    [CommandOption("--seed <N>")] [Description("Initialisation and sampling seed. Default: 1234.")] public int? Seed { get; init; }
}

/// <summary>rlpt offline train: one offline RL algorithm on one dataset, on the run loop (checkpoints, exact --resume, metrics.jsonl).</summary>
public sealed class OfflineTrainCommand : Command<OfflineTrainSettings>
{
    public override int Execute(CommandContext context, OfflineTrainSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Data is null) throw new ArgumentException("--data is required (a dataset from `rlpt offline collect`, or a D4RL .hdf5).");
        var config = ConfigBinder.Bind<OfflineTrainingConfig>(settings);
        config.Validate();
        var dataset = EpisodeDatasetFiles.Load(settings.Data);
        var run = new RunDirectory(settings.Out ?? $"runs/offline/{config.Algorithm}", settings.Quiet);
        TrainingRun.CheckRunDirectory(run.Path, settings.Resume);
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        using var trainer = new OfflineTrainer(config, dataset, device, settings.Env);
        run.WriteConfig(new { command = "offline train", data = settings.Data, environment = trainer.Environment, transitions = dataset.Count, episodes = dataset.Episodes.Count, training = config });
        run.Log($"{config.Algorithm} on {dataset.Count:N0} transitions ({dataset.Episodes.Count:N0} episodes) of {(trainer.Environment.Length > 0 ? trainer.Environment : "an unknown environment")}, weighting {config.Weighting}");
        var result = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar(config.Algorithm, config.MaxSteps);
            string evaluation = "";
            return new TrainingRun(run.Path)
            {
                Log = run.Log,
                ReportTo = settings.ReportTo,
                OnStep = s =>
                {
                    if (s.Metrics.ContainsKey("eval_return")) evaluation = $" return {s["eval_return"]:F1}";
                    bar.Update(s.Step, $"loss {s["loss"]:F3}{evaluation}");
                },
            }.Run(trainer, settings.Resume, Interrupt.Token);
        }, run.Log);
        if (result.Interrupted) return Interrupt.ExitCode;
        Console.WriteLine($"done: {result.Steps} updates, loss {result.Metric("loss"):F3}" +
            (trainer.Environment.Length > 0 ? $", return {result.Metric("eval_return"):F1}" : "") + $"; policy in {result.ModelDirectory}");
        return 0;
    }
}
