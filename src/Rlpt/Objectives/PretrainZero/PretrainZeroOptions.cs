using System.Text.Json.Serialization;

namespace Rlpt.Objectives.PretrainZero;

/// <summary>
/// PretrainZero (arXiv 2512.03442): where the masks come from and what a valid mask is. Passages are drawn with RLPT's
/// task options (context_tokens, max_target_tokens, source, seed): a passage is an RLPT context and its target segment.
/// </summary>
public sealed record PretrainZeroOptions
{
    /// <summary>
    /// Where masks come from: generator (the paper: the policy proposes the span and both roles are trained), random (a
    /// random span of words, the paper's "random RLPT" baseline: predictor only) or next_word (the passage cut at a random
    /// word, which is to be predicted: the paper's random-position next-token baseline, in words because answers are
    /// compared as text and a BPE token is often part of a word). Default generator.
    /// </summary>
    [JsonPropertyName("pz_masks")] public string Masks { get; init; } = Generator;

    /// <summary>Longest span, in tokens, a mask may cover (the generator's longer proposals are invalid). Default 16.</summary>
    [JsonPropertyName("pz_max_span_tokens")] public int MaxSpanTokens { get; init; } = 16;

    /// <summary>Longest random span in words (random masks and the cold start's examples). Default 4.</summary>
    [JsonPropertyName("pz_max_span_words")] public int MaxSpanWords { get; init; } = 4;

    /// <summary>Spans occurring this many times or more in the passage are rejected (the paper: 8). Default 8.</summary>
    [JsonPropertyName("pz_max_occurrences")] public int MaxOccurrences { get; init; } = 8;

    /// <summary>Most new tokens of a predictor rollout (the generator's are max_completion_length). Default 24.</summary>
    [JsonPropertyName("pz_answer_tokens")] public int AnswerTokens { get; init; } = 24;

    /// <summary>
    /// Whether both roles' prompts open a reasoning block ("&lt;think&gt;\n"). Off by default at CPU scale: a small model's
    /// thoughts carry no information (RLP's experiment) and cost tokens; answers are read after any closing tag either way.
    /// </summary>
    [JsonPropertyName("pz_open_think")] public bool OpenThink { get; init; }

    /// <summary>Seeds random masks and the predictor rollouts. Default 1234.</summary>
    [JsonPropertyName("pz_seed")] public int Seed { get; init; } = 1234;

    public const string Generator = "generator";
    public const string Random = "random";
    public const string NextWord = "next_word";
    public static IReadOnlyCollection<string> MaskSources { get; } = [Generator, Random, NextWord];

    public void Validate()
    {
        if (!MaskSources.Contains(Masks)) throw new ArgumentException($"pz_masks must be one of {string.Join(", ", MaskSources)} (got '{Masks}').");
        if (MaxSpanTokens < 1) throw new ArgumentException($"pz_max_span_tokens must be at least 1 (got {MaxSpanTokens}).");
        if (MaxSpanWords < 1) throw new ArgumentException($"pz_max_span_words must be at least 1 (got {MaxSpanWords}).");
        if (MaxOccurrences < 2) throw new ArgumentException($"pz_max_occurrences must be at least 2: a span occurs at least once (got {MaxOccurrences}).");
        if (AnswerTokens < 1) throw new ArgumentException($"pz_answer_tokens must be at least 1 (got {AnswerTokens}).");
    }
}
