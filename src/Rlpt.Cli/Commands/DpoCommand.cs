using System.ComponentModel;
using System.Text.Json;
using Rlpt.Cli.Infrastructure;
using Rlpt.Data.Store;
using Rlpt.Generation;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Training.Dpo;
using Rlpt.Training.Runs;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class DpoSettings : ObjectiveSettings
{
    [CommandOption("--pairs <FILE>")] [Description("Preference pairs, JSON Lines: {\"prompt\", \"chosen\", \"rejected\"} as text or chat messages, or whole conversations. Without it, pairs are sampled on-policy from --objective.")] public string? Pairs { get; init; }
    [CommandOption("--pair-prompts <N>")] [Description("On-policy pairs: prompts of --objective to sample; each gives its best and worst of G by the objective's reward (ties give none). Default: 256.")] [DefaultValue(256)] public int PairPrompts { get; init; } = 256;
    [CommandOption("--num-generations <G>")] [Description("On-policy pairs: samples per prompt. Default: 8.")] [DefaultValue(8)] public int NumGenerations { get; init; } = 8;
    [CommandOption("--max-completion-length <N>")] [Description("On-policy pairs: most new tokens per sample. Default: 128.")] [DefaultValue(128)] public int MaxCompletionLength { get; init; } = 128;
    [CommandOption("--temperature <T>")] [Description("On-policy pairs: sampling temperature. Default: 1.0.")] [DefaultValue(1.0)] public double Temperature { get; init; } = 1.0;
    [CommandOption("--beta <B>")] [Description("DPO β: strength of the implicit KL to the starting policy. Default: 0.1.")] public double? Beta { get; init; }
    [CommandOption("--loss-type <TYPE>")] [Description("sigmoid (DPO) or ipo. Default: sigmoid.")] public string? LossType { get; init; }
    [CommandOption("--epochs <N>")] [Description("Default: 1.")] public int? Epochs { get; init; }
    [CommandOption("--batch-size <N>")] [Description("Pairs per optimizer step. Default: 8.")] public int? BatchSize { get; init; }
    [CommandOption("--learning-rate <LR>")] [Description("Peak learning rate (warm-up, then cosine). Default: 1e-6.")] public double? LearningRate { get; init; }
    [CommandOption("--warmup-steps <N>")] [Description("Default: 0.")] public int? WarmupSteps { get; init; }
    [CommandOption("--max-length <N>")] [Description("Tokens of prompt + answer; prompts are cut from the left. Default: 512.")] public int? MaxLength { get; init; }
    [CommandOption("--share-prefix <BOOL>")] [Description("Forward each pair's prompt once for both answers (same log-probs). Default: true.")] public bool? SharePrefix { get; init; }
    [CommandOption("--save-every <N>")] [Description("Default: 100.")] public int? SaveEvery { get; init; }
}

/// <summary>
/// rlpt dpo: direct preference optimisation (TÜLU 3's middle stage) on pairs from a file or sampled on-policy from an
/// objective's prompts and reward. Sampled pairs are written to OUT/pairs.jsonl first, and a resumed run reads them back.
/// </summary>
public sealed class DpoCommand : AsyncCommand<DpoSettings>
{
    public const string PairsFile = "pairs.jsonl";

    public override async Task<int> ExecuteAsync(CommandContext context, DpoSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new ArgumentException("--model is required.");
        var config = ConfigBinder.Bind<DpoConfig>(settings);
        config.Validate();
        await using var choice = settings.Pairs is null ? new ObjectiveChoice(settings) : null;
        var run = new RunDirectory(settings.Out ?? "runs/dpo", settings.Quiet);
        TrainingRun.CheckRunDirectory(run.Path, settings.Resume);
        var sampledPairs = Path.Combine(run.Path, PairsFile);
        var pairs = settings.Pairs is not null ? PreferenceReader.Read(settings.Pairs) : settings.Resume && File.Exists(sampledPairs) ? PreferenceReader.Read(sampledPairs) : null;
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var (policy, tokenizer) = ModelFolder.Load(settings.Model, device);
        using var _ = policy;
        if (pairs is null)
        {
            choice!.LoadJudge(device);
            using var data = settings.Data is null ? null : TokenDataset.Open(settings.Data);
            using var objective = choice.Create(data, policy, tokenizer, device, run.Log);
            var sampling = new SamplingOptions { MaxNewTokens = settings.MaxCompletionLength, Temperature = settings.Temperature };
            var built = OnPolicyPairs.Build(objective, policy, tokenizer, device, settings.PairPrompts, settings.NumGenerations, sampling, config.Seed, Interrupt.Token);
            if (built.Pairs.Count == 0) throw new InvalidDataException($"none of the {built.Prompts} prompts gave a pair: every sample of each scored alike under the {choice.Definition.Name} reward.");
            WritePairs(sampledPairs, built.Pairs);
            run.Log($"on-policy pairs: {built.Pairs.Count} of {built.Prompts} prompts ({built.Ties} without a reward difference), mean reward {built.MeanReward:F3}, mean best-worst margin {built.MeanMargin:F3}; written to {sampledPairs}");
            pairs = built.Pairs;
        }
        using var algorithm = new DpoAlgorithm(config, policy, tokenizer, pairs, device);
        run.WriteConfig(new { command = "dpo", model = settings.Model, pairs = settings.Pairs ?? sampledPairs, objective = choice?.Definition.Name, objective_options = choice?.Options, pair_count = pairs.Count, dpo = config });
        run.Log($"{pairs.Count} pairs, {config.Epochs} epoch(s), {algorithm.MaxSteps} steps");
        var result = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar("dpo", algorithm.MaxSteps);
            return new TrainingRun(run.Path)
            {
                Log = run.Log,
                ReportTo = settings.ReportTo,
                OnStep = s => bar.Update(s.Step, $"loss {s["loss"]:F3} accuracy {s["rewards/accuracies"]:F2} margin {s["rewards/margins"]:F3}"),
            }.Run(algorithm, settings.Resume, Interrupt.Token);
        }, run.Log);
        if (result.Interrupted) return Interrupt.ExitCode;
        Console.WriteLine($"done: {result.Steps} steps, loss {result.Metric("loss"):F3}; model in {result.ModelDirectory}");
        return 0;
    }

    /// <summary>The standard layout, written whole then moved into place so a crash never leaves half a file.</summary>
    private static void WritePairs(string path, IReadOnlyList<PreferencePair> pairs)
    {
        var temporary = path + ".tmp";
        File.WriteAllLines(temporary, pairs.Select(p => JsonSerializer.Serialize(new { prompt = p.Prompt, chosen = p.Chosen, rejected = p.Rejected })));
        File.Move(temporary, path, overwrite: true);
    }
}
