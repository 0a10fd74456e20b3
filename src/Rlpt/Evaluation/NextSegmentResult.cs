using System.Text.Json.Serialization;

namespace Rlpt.Evaluation;

/// <summary>Held-out next-segment reward: one summary per task kind ("asr", "msr", "all") and every task's score.</summary>
/// <param name="RewardFailures">Completions each reward function could not score (counted over all tasks).</param>
public sealed record NextSegmentResult(
    [property: JsonPropertyName("decoding")] EvaluationDecoding Decoding,
    [property: JsonPropertyName("kinds")] IReadOnlyList<NextSegmentSummary> Kinds,
    [property: JsonPropertyName("reward_failures")] IReadOnlyDictionary<string, int> RewardFailures,
    [property: JsonPropertyName("tasks")] IReadOnlyList<NextSegmentTaskScore> Tasks)
{
    public NextSegmentSummary Kind(string kind) => Kinds.Single(k => k.Kind == kind);
}

/// <param name="Reward">Mean total reward over tasks (each task's mean over its samples), with a bootstrap interval over tasks.</param>
/// <param name="RewardFunctions">Each reward function's mean score over completions.</param>
/// <param name="FormatRate">Share of completions with a parseable prediction.</param>
/// <param name="MeanCompletionTokens">Mean generated tokens per completion.</param>
public sealed record NextSegmentSummary(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("tasks")] int Tasks,
    [property: JsonPropertyName("completions")] int Completions,
    [property: JsonPropertyName("reward")] Estimate Reward,
    [property: JsonPropertyName("reward_functions")] IReadOnlyDictionary<string, double> RewardFunctions,
    [property: JsonPropertyName("format_rate")] double FormatRate,
    [property: JsonPropertyName("mean_completion_tokens")] double MeanCompletionTokens);

/// <summary>One task's mean total reward over its samples: the unit of paired comparisons between checkpoints.</summary>
public sealed record NextSegmentTaskScore(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("document")] long Document,
    [property: JsonPropertyName("segment")] int Segment,
    [property: JsonPropertyName("reward")] double Reward);
