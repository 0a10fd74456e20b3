using System.Text.Json.Serialization;

namespace Rlpt.Objectives.Rlp;

/// <summary>
/// RLP (arXiv 2510.01265): where thoughts are sampled and what they are scored on. The paper scores one next token
/// (k = 1) with an EMA teacher of decay 0.999; scoring k &gt; 1 tokens is our documented extension (the gains add up).
/// </summary>
public sealed record RlpOptions
{
    /// <summary>Document tokens x_&lt;t shown before the thought (the latest ones). Default 128.</summary>
    [JsonPropertyName("rlp_context_tokens")] public int ContextTokens { get; init; } = 128;

    /// <summary>Fewest document tokens before a scored position t. Default 16.</summary>
    [JsonPropertyName("rlp_min_context_tokens")] public int MinContextTokens { get; init; } = 16;

    /// <summary>Tokens x_t..x_t+k−1 whose log-likelihood the thought should raise (k). Default 1, as in the paper.</summary>
    [JsonPropertyName("rlp_scored_tokens")] public int ScoredTokens { get; init; } = 1;

    /// <summary>EMA decay τ of the no-thought teacher: φ ← τφ + (1 − τ)θ after every optimizer step. Default 0.999.</summary>
    [JsonPropertyName("rlp_ema_decay")] public double EmaDecay { get; init; } = 0.999;

    /// <summary>Seeds the positions drawn. Default 1234.</summary>
    [JsonPropertyName("rlp_seed")] public int Seed { get; init; } = 1234;

    public void Validate()
    {
        if (ContextTokens < 1 || MinContextTokens < 1 || MinContextTokens > ContextTokens)
            throw new ArgumentException("rlp_min_context_tokens must be in [1, rlp_context_tokens].");
        if (ScoredTokens < 1) throw new ArgumentException($"rlp_scored_tokens must be at least 1 (got {ScoredTokens}).");
        if (!(EmaDecay >= 0 && EmaDecay < 1)) throw new ArgumentException($"rlp_ema_decay must be in [0, 1) (got {EmaDecay}).");
    }
}
