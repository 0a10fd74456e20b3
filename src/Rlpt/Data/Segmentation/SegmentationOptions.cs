namespace Rlpt.Data.Segmentation;

/// <summary>How <see cref="Segmenter"/> cuts a document.</summary>
/// <remarks>
/// The size rules apply to every unit, after cutting:
/// <list type="bullet">
/// <item><see cref="MaxChars"/>: a longer piece is split at the last "; " or ": " in the second half of the window,
/// else the last ", " there, else the last whitespace before the limit, else hard at the limit. CJK '；' '：' '，' '、'
/// count as the first two kinds without needing a space.</item>
/// <item><see cref="MinChars"/>: a shorter piece is merged with the following piece of its paragraph, or with the
/// previous one when it ends the paragraph. Only a whole paragraph shorter than the minimum merges across the
/// paragraph break (forward, or backward at the end of the document). A merge never makes a segment longer than
/// <see cref="MaxChars"/>, and with <see cref="KeepHeadings"/> headings and list items never merge with their
/// neighbours, so a segment can stay short.</item>
/// </list>
/// </remarks>
public sealed record SegmentationOptions
{
    public SegmentUnit Unit { get; init; } = SegmentUnit.Sentence;

    /// <summary>Pieces shorter than this (in UTF-16 chars) are merged; 0 or 1 turns merging off. Default 16.</summary>
    public int MinChars
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MinChars), value, "must be >= 0");
    } = 16;

    /// <summary>Pieces longer than this (in UTF-16 chars) are split; <see cref="int.MaxValue"/> turns it off. Default 600.</summary>
    public int MaxChars
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxChars), value, "must be >= 1");
    } = 600;

    /// <summary>
    /// Markdown headings ("# Title") and list items ("- x", "* x", "+ x", "• x", "1. x", "2) x", "(a) x") are
    /// segments of their own, never merged with other blocks; a list item takes in following indented lines.
    /// Default true.
    /// </summary>
    public bool KeepHeadings { get; init; } = true;
}
