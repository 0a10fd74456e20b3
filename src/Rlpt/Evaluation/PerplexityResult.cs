using System.Text.Json.Serialization;

namespace Rlpt.Evaluation;

/// <param name="Loss">Mean next-token cross-entropy (nats) with a bootstrap interval over windows.</param>
/// <param name="Perplexity">exp of <paramref name="Loss"/> (and of its interval bounds).</param>
/// <param name="WindowLosses">Each window's mean loss, in stream order (for paired comparisons).</param>
public sealed record PerplexityResult(
    [property: JsonPropertyName("sequence_length")] int SequenceLength,
    [property: JsonPropertyName("windows")] int Windows,
    [property: JsonPropertyName("tokens")] long Tokens,
    [property: JsonPropertyName("loss")] Estimate Loss,
    [property: JsonPropertyName("perplexity")] Estimate Perplexity,
    [property: JsonPropertyName("window_losses")] IReadOnlyList<double> WindowLosses);
