namespace Rlpt.Data.Segmentation;

/// <summary>What a single period after a word says about a sentence end (when whitespace follows it).</summary>
internal enum PeriodRole
{
    /// <summary>An ordinary word, number or address: the period ends the sentence, whatever follows.</summary>
    Ordinary,

    /// <summary>Titles and Latin connectives (Mr., Dr., St., e.g., vs.) that always lead on: never an end.</summary>
    Prefix,

    /// <summary>Abbreviations often last in a sentence (etc., Inc., Jr., a.m.): an end before a capitalised word.</summary>
    Terminal,

    /// <summary>
    /// Initials, dotted acronyms and reference words (J., U.S., Fig., No., Jan.) that usually continue into a name or a
    /// number: an end only before a common sentence-opening word ("The", "He", "However").
    /// </summary>
    Continuation,
}
