namespace Rlpt.Data.Cleaning;

/// <summary>
/// Document-level quality rules, defaults after Gopher (Rae et al. 2021, "MassiveText" rules) and C4/FineWeb practice.
/// Words are whitespace-separated tokens; lines are non-blank '\n'-separated lines, compared after trimming.
/// A rule with a null (or zero minimum) threshold is off.
/// </summary>
public sealed record QualityFilterOptions
{
    /// <summary>Fewer characters than this is a fragment, not a document (≈ Gopher's 50 words).</summary>
    public int MinCharacters { get; init; } = 200;

    /// <summary>More characters than this is usually a dump (Gopher's 100,000 words ≈ 600,000 characters).</summary>
    public int MaxCharacters { get; init; } = 600_000;

    /// <summary>Gopher: at least 50 words.</summary>
    public int MinWords { get; init; } = 50;

    /// <summary>Gopher: at most 0.1 '#' or ellipsis ("...", "…") per word — hashtag spam, truncated snippet lists.</summary>
    public double? MaxSymbolToWordRatio { get; init; } = 0.1;

    /// <summary>
    /// At least this share of non-whitespace characters must be letters (Gopher asks 80% of words to contain a letter;
    /// 0.6 of characters lets normal prose with digits and punctuation through, but not tables, code dumps or noise).
    /// </summary>
    public double? MinAlphabeticFraction { get; init; } = 0.6;

    /// <summary>Gopher: at most 30% of lines may repeat an earlier line of the same document (boilerplate, menus).</summary>
    public double? MaxDuplicateLineFraction { get; init; } = 0.3;

    /// <summary>Gopher: at most 20% of the characters may be in lines that repeat an earlier line.</summary>
    public double? MaxDuplicateLineCharacterFraction { get; init; } = 0.2;

    /// <summary>
    /// Off by default: at most this share of lines may end without terminal punctuation (. ! ? " ' …). C4 keeps only
    /// lines that end in punctuation; FineWeb asks ≥ 12% of lines to, i.e. a value of 0.88 here.
    /// </summary>
    public double? MaxLinesWithoutPunctuationFraction { get; init; }
}
