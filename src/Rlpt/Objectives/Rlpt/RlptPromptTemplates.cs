using System.Text.Json.Serialization;
using Rlpt.Tokenization;

namespace Rlpt.Objectives.Rlpt;

/// <summary>
/// The user messages of the two RLPT tasks, with placeholders {context} (the preceding segments) and, for MSR,
/// {next} (the segment after the masked one). Written after the paper's description of its prompts, not copied.
/// </summary>
public sealed record RlptPromptTemplates
{
    public const string ContextPlaceholder = "{context}";
    public const string NextPlaceholder = "{next}";
    public const string Mask = "<MASK>";

    [JsonPropertyName("asr")]
    public string Asr { get; init; } =
        "Continue the passage under \"### Context\" with the sentence that is most likely to come next. " +
        "Think it through step by step, then write only that sentence between " +
        $"{SpecialTokens.StartOfPrediction} and {SpecialTokens.EndOfPrediction}.\n\n" +
        "### Context\n" + ContextPlaceholder;

    [JsonPropertyName("msr")]
    public string Msr { get; init; } =
        "## Text Material ##\n" + ContextPlaceholder + " " + Mask + " " + NextPlaceholder + "\n\n" +
        $"## Task ##\nOne sentence of the text material was replaced by {Mask}. Using the text before and after it, " +
        "work out step by step what the missing sentence most likely says, then write only that sentence between " +
        $"{SpecialTokens.StartOfPrediction} and {SpecialTokens.EndOfPrediction}.";

    /// <summary>
    /// Whether the prompt ends with an opened "&lt;think&gt;\n" in the assistant turn. On by default: the policy
    /// then always reasons before it predicts, as in the paper's reasoning-then-answer format, and a model that has
    /// not yet learned to open the block itself (before or early in cold-start SFT) still produces it.
    /// </summary>
    [JsonPropertyName("open_think")] public bool OpenThink { get; init; } = true;

    public void Validate()
    {
        if (!Asr.Contains(ContextPlaceholder, StringComparison.Ordinal))
            throw new ArgumentException($"the ASR prompt template must contain {ContextPlaceholder}.");
        if (!Msr.Contains(ContextPlaceholder, StringComparison.Ordinal) || !Msr.Contains(NextPlaceholder, StringComparison.Ordinal))
            throw new ArgumentException($"the MSR prompt template must contain {ContextPlaceholder} and {NextPlaceholder}.");
    }
}
