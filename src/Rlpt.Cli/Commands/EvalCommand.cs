using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Data.Store;
using Rlpt.Evaluation;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Objectives;
using Rlpt.Objectives.Rlpt;
using Rlpt.Rewards;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class EvalSettings : CommonSettings
{
    [CommandOption("--model <DIR>")] [Description("Model folder to evaluate (repeatable: NAME=DIR compares several side by side).")] public string[] Model { get; init; } = [];
    [CommandOption("--data <DIR>")] [Description("Dataset folder; its held-out split is used.")] public string? Data { get; init; }
    [CommandOption("--reward <NAME=W>")] [Description("Rewards for next-segment tasks (repeatable). Default: prefix=1, numeric=1.")] public string[] Reward { get; init; } = [];
    [CommandOption("--tasks <N>")] [Description("Held-out items per objective (rlpt: tasks, half ASR and half MSR; rlp: positions; empo: questions; pretrainzero: passages). Default: 64.")] public int? Tasks { get; init; }
    [CommandOption("--samples <N>")] [Description("Sampled decoding with N samples per task (temperature 0.6, top-p 0.95); default greedy.")] public int? Samples { get; init; }
    [CommandOption("--max-new-tokens <N>")] [Description("Default: 96.")] [DefaultValue(96)] public int MaxNewTokens { get; init; } = 96;
    [CommandOption("--perplexity-windows <N>")] [Description("Held-out windows for perplexity (0 skips). Default: 64.")] public int? PerplexityWindows { get; init; }
    [CommandOption("--sequence-length <N>")] [Description("Perplexity window length. Default: 256.")] public int? SequenceLength { get; init; }
    [CommandOption("--arithmetic-levels <N>")] [Description("Arithmetic problems up to this many operations (0 skips). Default: 3.")] [DefaultValue(3)] public int ArithmeticLevels { get; init; } = 3;
    [CommandOption("--arithmetic-problems <N>")] [Description("Problems per level. Default: 20.")] [DefaultValue(20)] public int ArithmeticProblems { get; init; } = 20;
    [CommandOption("--objective <NAME>")] [Description("Objective whose own evaluation runs (repeatable): rlpt (next-segment reward), rlp (information gain of thoughts), empo (semantic entropy, majority accuracy), rlvr (held-out arithmetic reward and accuracy), pretrainzero (masked-span and next-word accuracy, valid masks). Default: rlpt.")] public string[] Objective { get; init; } = [];
    [CommandOption("--context-tokens <N>")] [Description("rlpt, empo: context budget of the prompts. Default: 384.")] public int? ContextTokens { get; init; }
    [CommandOption("--max-target-tokens <N>")] [Description("rlpt, empo: longest segment used as a prediction target. Default: 64.")] public int? MaxTargetTokens { get; init; }
    [CommandOption("--source <NAME>")] [Description("rlpt, empo, pretrainzero: tasks only from documents of this source (e.g. arithmetic; brown covers every brown/... category).")] public string? Source { get; init; }
    [CommandOption("--rlp-context-tokens <N>")] [Description("rlp: document tokens shown before the thought. Default: 128.")] public int? RlpContextTokens { get; init; }
    [CommandOption("--rlp-min-context-tokens <N>")] [Description("rlp: fewest document tokens before a scored position. Default: 16.")] public int? RlpMinContextTokens { get; init; }
    [CommandOption("--rlp-scored-tokens <K>")] [Description("rlp: next tokens scored after the thought. Default: 1.")] public int? RlpScoredTokens { get; init; }
    [CommandOption("--pz-max-span-tokens <N>")] [Description("pretrainzero: longest valid mask in tokens. Default: 16.")] public int? PzMaxSpanTokens { get; init; }
    [CommandOption("--pz-max-span-words <N>")] [Description("pretrainzero: longest random mask in words. Default: 4.")] public int? PzMaxSpanWords { get; init; }
    [CommandOption("--pz-answer-tokens <N>")] [Description("pretrainzero: most new tokens of an answer. Default: 24.")] public int? PzAnswerTokens { get; init; }
    [CommandOption("--pz-open-think")] [Description("pretrainzero: open a reasoning block in the prompts.")] public bool? PzOpenThink { get; init; }
    [CommandOption("--rlvr-min-level <N>")] [Description("rlvr: fewest operations per problem. Default: 1.")] public int? RlvrMinLevel { get; init; }
    [CommandOption("--rlvr-max-level <N>")] [Description("rlvr: most operations per problem. Default: 2.")] public int? RlvrMaxLevel { get; init; }
    [CommandOption("--rlvr-reward <MODE>")] [Description("rlvr: continuous or binary. Default: continuous.")] public string? RlvrReward { get; init; }
    [CommandOption("--empo-cluster-by <MODE>")] [Description("empo: auto, text or embedding. Default: auto.")] public string? EmpoClusterBy { get; init; }
    [CommandOption("--empo-similarity <COS>")] [Description("empo: cosine threshold of embedding clustering. Default: 0.85.")] public double? EmpoSimilarity { get; init; }
}

/// <summary>rlpt eval: each chosen objective's held-out evaluation, perplexity and arithmetic accuracy, with bootstrap CIs.</summary>
public sealed class EvalCommand : Command<EvalSettings>
{
    public override int Execute(CommandContext context, EvalSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model.Length == 0 || settings.Data is null) throw new ArgumentException("--model and --data are required.");
        var models = settings.Model.Select(m => m.Contains('=') ? (Name: m[..m.IndexOf('=')], Path: m[(m.IndexOf('=') + 1)..]) : (Name: Path.GetFileName(Path.GetFullPath(m).TrimEnd('/')), Path: m)).ToArray();
        var defaults = new EvaluationOptions();
        var options = defaults with
        {
            Objectives = settings.Objective.Length > 0 ? settings.Objective : defaults.Objectives,
            Tasks = settings.Tasks ?? defaults.Tasks,
            Decoding = settings.Samples is int n ? EvaluationDecoding.Sampled(n, settings.MaxNewTokens) : EvaluationDecoding.Greedy(settings.MaxNewTokens),
            PerplexityWindows = settings.PerplexityWindows ?? defaults.PerplexityWindows,
            SequenceLength = settings.SequenceLength ?? defaults.SequenceLength,
            Arithmetic = settings.ArithmeticLevels > 0 ? new ArithmeticEvaluationOptions { MaxLevel = settings.ArithmeticLevels, ProblemsPerLevel = settings.ArithmeticProblems } : null,
        };
        var objectives = CheckpointEvaluation.Validate(options);
        var objectiveOptions = objectives.Select(o => o.OptionsType).Append(typeof(RlptTaskOptions)).Distinct().ToDictionary(t => t, t => ConfigBinder.Bind(t, settings));
        var weights = settings.Reward.Length > 0 ? WeightOptions.Parse(settings.Reward, "--reward") : new Dictionary<string, double> { ["prefix"] = 1, ["numeric"] = 1 };
        var rewards = RewardRegistry.Compose(weights);
        var run = new RunDirectory(settings.Out ?? "runs/eval", settings.Quiet);
        run.WriteConfig(new { command = "eval", models = models.Select(m => new { name = m.Name, path = m.Path }), data = settings.Data, rewards = weights, options, objective_options = objectiveOptions.Values });
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        using var data = TokenDataset.Open(settings.Data);

        var results = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar("eval", models.Length);
            var all = new List<EvaluationResult>();
            foreach (var (name, path) in models)
            {
                var (model, tokenizer) = ModelFolder.Load(path, device);
                using (model) all.Add(CheckpointEvaluation.Run(name, model, tokenizer, data, rewards, options, type => objectiveOptions.TryGetValue(type, out var bound) ? bound : ConfigBinder.Bind(type, settings), Interrupt.Token));
                bar.Update(all.Count, name);
            }
            return all;
        }, run.Log);

        if (results.Count == 1) EvaluationReport.Write(run.Path, results[0]);
        else
        {
            foreach (var result in results) EvaluationReport.Write(Path.Combine(run.Path, result.Name), result);
            IO.AtomicFile.WriteAllText(run.File("comparison.md"), EvaluationReport.Comparison(results));
            EvaluationReport.SaveComparisonPlot(run.File("comparison.png"), results);
        }
        Console.WriteLine(results.Count == 1 ? EvaluationReport.Markdown(results[0]) : EvaluationReport.Comparison(results));
        Console.WriteLine($"written to {run.Path}");
        return 0;
    }
}
