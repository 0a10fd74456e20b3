using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Evaluation;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Training;
using Rlpt.Evaluation;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Offline;

public sealed class OfflineEvalSettings : CommonSettings
{
    [CommandOption("--model <DIR>")] [Description("A policy folder (OUT/model of `rlpt offline train`, or OUT/expert of `rlpt offline collect`).")] public string? Model { get; init; }
    [CommandOption("--env <ID>")] [Description("Environment to play. Default: the one the policy was trained for.")] public string? Env { get; init; }
    [CommandOption("--episodes <N>")] [Description("Evaluation episodes. Default: 100.")] [DefaultValue(100)] public int Episodes { get; init; } = 100;
    [CommandOption("--reference <FILE>")] [Description("A dataset whose random and expert reference returns give a normalised score.")] public string? Reference { get; init; }
    [CommandOption("--fqe-data <FILE>")] [Description("Also estimate the policy's value off-policy with fitted Q evaluation on this dataset, next to the measured discounted return.")] public string? FqeData { get; init; }
    [CommandOption("--fqe-steps <N>")] [Description("FQE updates. Default: 5000.")] [DefaultValue(5000)] public int FqeSteps { get; init; } = 5000;
    [CommandOption("--gamma <G>")] [Description("Discount of FQE and of the measured discounted return. Default: 0.99.")] [DefaultValue(0.99)] public double Gamma { get; init; } = 0.99;
    [CommandOption("--seed <N>")] [Description("First episode seed. Default: 1000000 (the training evaluations').")] [DefaultValue(OfflineTrainer.EvaluationSeed)] public int Seed { get; init; } = OfflineTrainer.EvaluationSeed;
}

/// <summary>rlpt offline eval: a trained policy's deterministic return over many episodes, with a bootstrap CI and D4RL-style normalised score.</summary>
public sealed class OfflineEvalCommand : Command<OfflineEvalSettings>
{
    public override int Execute(CommandContext context, OfflineEvalSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new ArgumentException("--model is required.");
        if (settings.Episodes < 1) throw new ArgumentException($"--episodes must be positive (got {settings.Episodes}).");
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var (config, algorithm) = OfflinePolicyFolder.Open(settings.Model, device);
        using var policy = algorithm;
        var environment = settings.Env ?? config.Environment;
        if (environment.Length == 0) throw new ArgumentException("the policy names no environment; pass --env.");
        config.CheckFits(ControlEnvironments.Create(environment));
        var references = settings.Reference is null ? null : DatasetMetadata.ReferenceReturns(EpisodeDatasetFiles.Load(settings.Reference));
        if (settings.Gamma is < 0 or > 1) throw new ArgumentException($"--gamma must be in [0, 1] (got {settings.Gamma}).");
        var fqeData = settings.FqeData is null ? null : EpisodeDatasetFiles.Load(settings.FqeData);
        if (fqeData is not null) DatasetMetadata.CheckMatches(fqeData, ControlEnvironments.Create(environment));
        var returns = PolicyEvaluation.Run(policy.Act, environment, settings.Episodes, settings.Seed, device, settings.Gamma);
        var fqe = fqeData is null ? null : FittedQEvaluation.Run(policy, config, fqeData, settings.Gamma, settings.FqeSteps, settings.Seed, device);
        var (mean, low, high) = BootstrapInterval.Mean(returns.Returns);
        var run = new RunDirectory(settings.Out ?? "runs/offline/eval", settings.Quiet);
        double? normalized = references is var (random, expert) ? EvaluationReturns.Normalized(mean, random, expert) : null;
        run.WriteJson("eval.json", new { model = settings.Model, algorithm = config.Algorithm, environment, episodes = settings.Episodes, seed = settings.Seed,
            mean_return = mean, ci95 = new[] { low, high }, std = returns.StandardDeviation, normalized_score = normalized, gamma = settings.Gamma,
            mean_discounted_return = returns.DiscountedReturns.Average(), fqe_initial_state_value = fqe?.InitialStateValue, fqe_td_loss = fqe?.TdLoss, returns = returns.Returns });
        Console.WriteLine($"{config.Algorithm} on {environment}: return {mean:F1} [{low:F1}, {high:F1}] over {settings.Episodes} episodes" +
            (normalized is { } n ? $", normalised score {n:F1}" : "") + $"; eval.json in {run.Path}");
        if (fqe is not null)
            Console.WriteLine($"FQE ({fqe.Steps} updates on {settings.FqeData}): discounted value {fqe.InitialStateValue:F2}, measured discounted return {returns.DiscountedReturns.Average():F2} (γ {settings.Gamma})");
        return 0;
    }
}
