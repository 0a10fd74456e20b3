namespace Rlpt.Data.Cleaning;

/// <summary>Why the quality filter rejected a document (the first failing rule, in this order).</summary>
public enum QualityRejection
{
    TooShort,
    TooLong,
    TooFewWords,
    TooManySymbols,
    TooFewAlphabetic,
    DuplicateLines,
    DuplicateLineCharacters,
    TooManyLinesWithoutPunctuation,
}
