using System.Text.Json.Serialization;

namespace Rlpt.Evaluation;

/// <summary>
/// Everything evaluated for one checkpoint; an evaluator that was not run is null. RLPT's own evaluation is the
/// next-segment reward; the other objectives' evaluations are in <see cref="Objectives"/>.
/// </summary>
/// <param name="Name">The checkpoint's label in comparisons, e.g. "cold-start", "rlpt", "control".</param>
public sealed record EvaluationResult(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("next_segment")] NextSegmentResult? NextSegment = null,
    [property: JsonPropertyName("perplexity")] PerplexityResult? Perplexity = null,
    [property: JsonPropertyName("arithmetic")] ArithmeticResult? Arithmetic = null,
    [property: JsonPropertyName("objectives")] IReadOnlyList<ObjectiveResult>? Objectives = null);

/// <summary>One headline number of a result.</summary>
/// <param name="Score">A reward or pass rate (higher is better, roughly 0..1), as opposed to a loss or perplexity.</param>
public sealed record ReportMetric(string Name, Estimate Value, bool Score);
