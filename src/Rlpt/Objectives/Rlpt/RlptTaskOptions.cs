using System.Text.Json.Serialization;

namespace Rlpt.Objectives.Rlpt;

/// <summary>How <see cref="RlptTaskSampler"/> turns documents into ASR and MSR tasks.</summary>
public sealed record RlptTaskOptions
{
    /// <summary>
    /// Share of drawn tasks that are MSR (the rest are ASR). The paper's objective is E_ASR[r] + λ·E_MSR[r] with
    /// λ ∈ (0, 1) left unspecified; we realise λ as a sampling share rather than a loss weight, so every task in a
    /// batch carries the same loss weight. Default 0.5.
    /// </summary>
    [JsonPropertyName("msr_fraction")] public double MsrFraction { get; init; } = 0.5;

    /// <summary>
    /// Most tokens of s_&lt;i shown in the prompt; earlier segments are dropped whole until the rest fits. Default 384.
    /// </summary>
    [JsonPropertyName("context_tokens")] public int ContextTokens { get; init; } = 384;

    /// <summary>
    /// Segments k in the reference continuation s_i..s_i+k-1 that the prefix reward compares the prediction with
    /// (the paper uses "several", count unspecified). Default 3.
    /// </summary>
    [JsonPropertyName("reference_segments")] public int ReferenceSegments { get; init; } = 3;

    /// <summary>Fewest preceding segments a target needs, after truncation to the budget. Default 1.</summary>
    [JsonPropertyName("min_context_segments")] public int MinContextSegments { get; init; } = 1;

    /// <summary>
    /// Targets s_i (and, for MSR, the following segment s_i+1) longer than this many tokens are never drawn: one
    /// sentence should be predictable in one answer, and it bounds the MSR prompt. Default 64.
    /// </summary>
    [JsonPropertyName("max_target_tokens")] public int MaxTargetTokens { get; init; } = 64;

    /// <summary>
    /// Draw only from documents of this source (e.g. "arithmetic", or "brown" for every "brown/..." category); null draws
    /// from every source by its weight. It lets
    /// two objectives train on the same questions (EMPO against GRPO with the true answers).
    /// </summary>
    /// <remarks>Left out of the JSON when null, so run records made before the option existed still match.</remarks>
    [JsonPropertyName("source")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Source { get; init; }

    [JsonPropertyName("seed")] public int Seed { get; init; } = 1234;

    [JsonPropertyName("prompts")] public RlptPromptTemplates Prompts { get; init; } = new();

    public void Validate()
    {
        if (!(MsrFraction >= 0 && MsrFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(MsrFraction), MsrFraction, "msr_fraction must be in [0, 1].");
        if (ContextTokens < 1) throw new ArgumentOutOfRangeException(nameof(ContextTokens), ContextTokens, "context_tokens must be >= 1.");
        if (ReferenceSegments < 1) throw new ArgumentOutOfRangeException(nameof(ReferenceSegments), ReferenceSegments, "reference_segments must be >= 1.");
        if (MinContextSegments < 1) throw new ArgumentOutOfRangeException(nameof(MinContextSegments), MinContextSegments, "min_context_segments must be >= 1 (both tasks predict from preceding text).");
        if (MaxTargetTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxTargetTokens), MaxTargetTokens, "max_target_tokens must be >= 1.");
        Prompts.Validate();
    }
}
