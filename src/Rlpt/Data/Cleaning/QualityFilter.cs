namespace Rlpt.Data.Cleaning;

/// <summary>Applies <see cref="QualityFilterOptions"/>: null for a document that passes, else the first rule it fails.</summary>
public sealed class QualityFilter(QualityFilterOptions options)
{
    public QualityRejection? Check(string text)
    {
        if (text.Length < options.MinCharacters) return QualityRejection.TooShort;
        if (text.Length > options.MaxCharacters) return QualityRejection.TooLong;

        int words = 0, symbols = 0, letters = 0, visible = 0;
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                inWord = false;
                continue;
            }
            if (!inWord) words++;
            inWord = true;
            visible++;
            if (char.IsLetter(c)) letters++;
            if (c is '#' or '…') symbols++;
            else if (c == '.' && text.AsSpan(i).StartsWith("...")) { symbols++; i += 2; visible += 2; }
        }
        if (words < options.MinWords) return QualityRejection.TooFewWords;
        if (options.MaxSymbolToWordRatio is { } symbolRatio && symbols > symbolRatio * words) return QualityRejection.TooManySymbols;
        if (options.MinAlphabeticFraction is { } alphabetic && letters < alphabetic * visible) return QualityRejection.TooFewAlphabetic;
        return CheckLines(text);
    }

    private QualityRejection? CheckLines(string text)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int lines = 0, duplicateLines = 0, duplicateCharacters = 0, characters = 0, unpunctuated = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            lines++;
            characters += line.Length;
            if (!seen.Add(line))
            {
                duplicateLines++;
                duplicateCharacters += line.Length;
            }
            if (line[^1] is not ('.' or '!' or '?' or '"' or '\'' or '…' or '”' or '’')) unpunctuated++;
        }
        if (options.MaxDuplicateLineFraction is { } lineFraction && duplicateLines > lineFraction * lines) return QualityRejection.DuplicateLines;
        if (options.MaxDuplicateLineCharacterFraction is { } charFraction && duplicateCharacters > charFraction * characters)
            return QualityRejection.DuplicateLineCharacters;
        if (options.MaxLinesWithoutPunctuationFraction is { } punctuation && unpunctuated > punctuation * lines)
            return QualityRejection.TooManyLinesWithoutPunctuation;
        return null;
    }
}
