namespace Rlpt.Data.Segmentation;

/// <summary>
/// A half-open character range [<see cref="Start"/>, <see cref="End"/>) of a document's text, trimmed so it neither
/// starts nor ends with whitespace.
/// </summary>
public readonly record struct Segment(int Start, int End)
{
    public int Length => End - Start;

    public string TextOf(string text) => text[Start..End];

    // Trimming here (rather than by callers) is what guarantees that only whitespace lies between segments.
    internal static void AddTrimmed(string text, int start, int end, List<Segment> into)
    {
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        if (end > start) into.Add(new Segment(start, end));
    }
}
