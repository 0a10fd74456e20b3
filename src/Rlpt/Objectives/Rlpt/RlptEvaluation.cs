using System.Text.Json.Serialization;
using Rlpt.Data.Store;
using Rlpt.Evaluation;
using Rlpt.Modeling;
using Rlpt.Rewards;
using Rlpt.Tokenization;

namespace Rlpt.Objectives.Rlpt;

/// <summary>What `rlpt eval` (and the demo) measures on a checkpoint, with documented defaults.</summary>
public sealed record RlptEvaluationOptions
{
    /// <summary>Held-out RLPT tasks (half ASR, half MSR) scored by the rewards; 0 skips.</summary>
    [JsonPropertyName("tasks")] public int Tasks { get; init; } = 64;
    [JsonPropertyName("decoding")] public EvaluationDecoding Decoding { get; init; } = EvaluationDecoding.Greedy(96);
    [JsonPropertyName("task_options")] public RlptTaskOptions TaskOptions { get; init; } = new();
    /// <summary>Held-out windows for perplexity; 0 skips.</summary>
    [JsonPropertyName("perplexity_windows")] public int PerplexityWindows { get; init; } = 64;
    [JsonPropertyName("sequence_length")] public int SequenceLength { get; init; } = 256;
    /// <summary>Arithmetic problems by level; null skips.</summary>
    [JsonPropertyName("arithmetic")] public ArithmeticEvaluationOptions? Arithmetic { get; init; } = new() { MaxLevel = 3, ProblemsPerLevel = 20 };
    [JsonPropertyName("seed")] public int Seed { get; init; } = 4321;
}

/// <summary>Runs every evaluator on one checkpoint against a dataset's held-out split.</summary>
public static class RlptEvaluation
{
    public static EvaluationResult Run(string name, CausalLM model, Tokenizer tokenizer, TokenDataset data, RewardComposer rewards, RlptEvaluationOptions options, CancellationToken cancellation = default)
    {
        NextSegmentResult? nextSegment = null;
        if (options.Tasks > 0)
        {
            var sampler = new RlptTaskSampler(data.Validation, tokenizer, data.Meta.Sources, options.TaskOptions);
            var tasks = sampler.EvaluationTasks(options.Tasks, options.Seed);
            nextSegment = new NextSegmentEvaluator(model, tokenizer, rewards).EvaluateAsync(tasks, options.Decoding, cancellation).GetAwaiter().GetResult();
        }
        var perplexity = options.PerplexityWindows > 0 ? PerplexityEvaluator.Evaluate(model, data.Validation, options.SequenceLength, options.PerplexityWindows) : null;
        var arithmetic = options.Arithmetic is { } arithmeticOptions ? new ArithmeticEvaluator(model, tokenizer).Evaluate(arithmeticOptions, cancellation) : null;
        return new EvaluationResult(name, nextSegment, perplexity, arithmetic);
    }
}
