using System.Text.Json.Serialization;

namespace Rlpt.Evaluation;

public sealed record ArithmeticResult(
    [property: JsonPropertyName("options")] ArithmeticEvaluationOptions Options,
    [property: JsonPropertyName("levels")] IReadOnlyList<ArithmeticLevelResult> Levels,
    [property: JsonPropertyName("problems")] IReadOnlyList<ArithmeticProblemScore> Problems);

/// <param name="PassAt1">Greedy accuracy with a bootstrap interval over problems.</param>
/// <param name="FormatRate">Share of greedy completions that state a final value at all.</param>
/// <param name="PassAtK">"pass@k" → the mean unbiased estimate over problems, with a bootstrap interval; empty without sampling.</param>
public sealed record ArithmeticLevelResult(
    [property: JsonPropertyName("level")] int Level,
    [property: JsonPropertyName("problems")] int Problems,
    [property: JsonPropertyName("pass@1")] Estimate PassAt1,
    [property: JsonPropertyName("format_rate")] double FormatRate,
    [property: JsonPropertyName("pass@k")] IReadOnlyDictionary<string, Estimate> PassAtK);

/// <summary>One problem's outcome, for paired comparisons between checkpoints.</summary>
/// <param name="SamplesCorrect">Correct samples among the sampled decoding's n (0 without sampling).</param>
public sealed record ArithmeticProblemScore(
    [property: JsonPropertyName("level")] int Level,
    [property: JsonPropertyName("expression")] string Expression,
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("greedy_correct")] bool GreedyCorrect,
    [property: JsonPropertyName("samples_correct")] int SamplesCorrect);
