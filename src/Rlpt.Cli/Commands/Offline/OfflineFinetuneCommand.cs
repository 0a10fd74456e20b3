using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Online;
using Rlpt.Decision.Offline.Training;
using Rlpt.Modeling;
using Rlpt.Telemetry;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Offline;

public sealed class OfflineFinetuneSettings : CommonSettings
{
    [CommandOption("--model <DIR>")] [Description("An offline-trained policy folder: sac, cql or calql (continuous), or dqn, double_dqn or cql (discrete).")] public string? Model { get; init; }
    [CommandOption("--mode <NAME>")] [Description("wsrl (warm up the frozen policy into an empty buffer, then fine-tune on online data only) or retain (fine-tune on half offline, half online batches from the start). Default: wsrl.")] [DefaultValue("wsrl")] public string Mode { get; init; } = "wsrl";
    [CommandOption("--data <FILE>")] [Description("The offline dataset: retained by --mode retain; its reference returns give normalised scores and regret.")] public string? Data { get; init; }
    [CommandOption("--online-steps <N>")] [Description("Environment steps of fine-tuning. Default: the task's online budget (Pendulum 20000).")] public int? OnlineSteps { get; init; }
    [CommandOption("--warmup-steps <N>")] [Description("WSRL: steps of the frozen pre-trained policy before updates start. Default: 5000.")] [DefaultValue(5000)] public int WarmupSteps { get; init; } = 5000;
    [CommandOption("--utd <N>")] [Description("Updates per environment step (update-to-data ratio). Default: 1.")] [DefaultValue(1)] public int Utd { get; init; } = 1;
    [CommandOption("--eval-every <N>")] [Description("Greedy evaluation every N steps. Default: 1000.")] [DefaultValue(1000)] public int EvalEvery { get; init; } = 1000;
    [CommandOption("--seed <N>")] [Description("Seed of the environment, exploration and updates. Default: 0.")] [DefaultValue(0)] public int Seed { get; init; }
}

/// <summary>
/// rlpt offline finetune: offline-to-online fine-tuning of a pre-trained policy, as WSRL (Zhou et al. 2024) or with the
/// offline data retained, reporting CORL's "before → after" returns and regret. CQL and Cal-QL policies continue as
/// SAC (the same networks without the conservative term), as in WSRL; discrete ones as double DQN at final ε.
/// </summary>
public sealed class OfflineFinetuneCommand : Command<OfflineFinetuneSettings>
{
    public override int Execute(CommandContext context, OfflineFinetuneSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new ArgumentException("--model is required (a policy folder from `rlpt offline train`).");
        if (settings.Mode is not ("wsrl" or "retain")) throw new ArgumentException($"unknown --mode '{settings.Mode}' (wsrl, retain).");
        if (settings.Mode == "retain" && settings.Data is null) throw new ArgumentException("--mode retain needs --data (the offline dataset to keep training on).");
        if (settings.WarmupSteps < 0 || settings.Utd < 1) throw new ArgumentException("--warmup-steps must be >= 0 and --utd positive.");
        var pretrained = OfflinePolicyConfig.Load(Path.Combine(settings.Model, OfflinePolicyFolder.ConfigFile));
        var online = pretrained.Discrete ? "double_dqn" : "sac";
        if (!(pretrained.Discrete ? pretrained.Algorithm is "dqn" or "double_dqn" or "cql" : pretrained.Algorithm is "sac" or "cql" or "calql"))
            throw new ArgumentException($"a {pretrained.Algorithm} policy has no critic to fine-tune online; fine-tune sac, cql or calql (continuous) or dqn, double_dqn or cql (discrete).");
        if (pretrained.Environment.Length == 0) throw new ArgumentException($"{settings.Model} names no environment to fine-tune in (it was trained on a dataset that names none).");
        var dataset = settings.Data is null ? null : EpisodeDatasetFiles.Load(settings.Data);
        if (dataset is not null) DatasetMetadata.CheckMatches(dataset, Decision.Environments.Control.ControlEnvironments.Create(pretrained.Environment));
        var references = dataset is null ? null : DatasetMetadata.ReferenceReturns(dataset);
        var defaults = OnlineConfig.For(pretrained.Environment);
        var config = defaults with
        {
            TotalSteps = settings.OnlineSteps ?? defaults.TotalSteps,
            RandomSteps = 0,
            LearningStarts = settings.Mode == "wsrl" ? settings.WarmupSteps : 0,
            GradientSteps = settings.Utd * defaults.GradientSteps,
            EvalEvery = settings.EvalEvery,
            HiddenSize = pretrained.HiddenSize,
            NumLayers = pretrained.NumLayers,
            // A warm start explores at the final ε from the first step: decaying from 1 would discard the pre-trained policy.
            InitialEpsilon = defaults.FinalEpsilon,
        };
        config.Validate();
        var run = new RunDirectory(settings.Out ?? $"runs/offline/finetune-{settings.Mode}", settings.Quiet);
        run.WriteConfig(new { command = "offline finetune", model = settings.Model, pretrained = pretrained.Algorithm, continued_as = online, mode = settings.Mode, data = settings.Data, online = config, seed = settings.Seed });
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var shape = pretrained with { Algorithm = online };
        using var learner = OfflinePolicyFolder.OpenAs(settings.Model, shape, OnlineTraining.Hyperparameters(online, config), device);
        var before = PolicyEvaluation.Run(learner.Act, shape.Environment, config.EvalEpisodes, OfflineTrainer.EvaluationSeed, device).Mean;
        var result = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar($"{settings.Mode} fine-tuning", config.TotalSteps);
            double? last = null;
            using var metrics = new MetricsWriter(run.Path, append: false);
            return OnlineTraining.Run(learner, shape, config, settings.Seed, device,
                new OnlineOptions(FitScaler: false, Retained: settings.Mode == "retain" ? dataset : null, Record: metrics.Write),
                (step, evaluation) => { last = evaluation ?? last; bar.Update(step, last is { } r ? $"greedy return {r:F1}" : null); }, Interrupt.Token);
        }, run.Log);
        new OfflinePolicyFolder(shape, learner).Save(run.File("model"));
        var after = result.Curve[^1].Return;
        double? Normalized(double value) => references is var (random, expert) ? EvaluationReturns.Normalized(value, random, expert) : null;
        // CORL's regret: the mean shortfall of the normalised score from 1 over the online evaluations.
        double? regret = references is null ? null : result.Curve.Average(p => 1 - Normalized(p.Return)!.Value / 100);
        LinePlot.Save(run.File("finetune_curve.png"), $"{settings.Mode} fine-tuning of {pretrained.Algorithm} on {shape.Environment}", "environment steps", "greedy return",
            [new Series(settings.Mode, [0.0, .. result.Curve.Select(p => (double)p.Step)], [before, .. result.Curve.Select(p => p.Return)])]);
        run.WriteJson("finetune.json", new { mode = settings.Mode, pretrained = pretrained.Algorithm, environment = shape.Environment, before, after,
            before_normalized = Normalized(before), after_normalized = Normalized(after), regret, curve = result.Curve.Select(p => new { step = p.Step, greedy_return = p.Return }) });
        Console.WriteLine($"{settings.Mode}: {pretrained.Algorithm} on {shape.Environment}, greedy return {before:F1} → {after:F1}" +
            (regret is { } r ? $" (normalised {Normalized(before):F1} → {Normalized(after):F1}, regret {r:F3})" : "") + $"; model and finetune.json in {run.Path}");
        return 0;
    }
}
