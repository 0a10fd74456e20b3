namespace Rlpt.Tokenization;

/// <summary>Reserved special tokens. Trained tokenizers give them the lowest ids, in the order of <see cref="All"/>.</summary>
public static class SpecialTokens
{
    public const string EndOfText = "<|endoftext|>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";
    public const string ThinkStart = "<think>";
    public const string ThinkEnd = "</think>";
    public const string StartOfPrediction = "<|startofprediction|>";
    public const string EndOfPrediction = "<|endofprediction|>";
    public const string Pad = "<|pad|>";

    public static IReadOnlyList<string> All { get; } =
        [EndOfText, ImStart, ImEnd, ThinkStart, ThinkEnd, StartOfPrediction, EndOfPrediction, Pad];
}
