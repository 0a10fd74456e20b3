using System.Text;

namespace Rlpt.Rewards;

/// <summary>
/// Normalisation for lexical comparisons: Unicode NFKC (full-width and ligature forms fold to plain ones), typographic
/// quotes to ASCII, lower-case (invariant culture), split on white space, and punctuation stripped from word edges
/// only — so "Paris," matches "paris" while "don't", "3.5" and "e-mail" keep their inner marks. Words that are pure
/// punctuation (a lone "—") disappear.
/// </summary>
public static class TextNormalization
{
    public static IReadOnlyList<string> Words(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC)
            .Replace('\u2018', '\'').Replace('\u2019', '\'').Replace('\u201C', '"').Replace('\u201D', '"')
            .ToLowerInvariant();
        var words = new List<string>();
        foreach (var raw in folded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var word = raw.AsSpan();
            while (!word.IsEmpty && char.IsPunctuation(word[0])) word = word[1..];
            while (!word.IsEmpty && char.IsPunctuation(word[^1])) word = word[..^1];
            if (!word.IsEmpty) words.Add(word.ToString());
        }
        return words;
    }

    /// <summary>The normalised words joined by single spaces.</summary>
    public static string Normalize(string text) => string.Join(' ', Words(text));
}
