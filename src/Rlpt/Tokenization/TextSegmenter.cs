using System.Text.RegularExpressions;

namespace Rlpt.Tokenization;

/// <summary>A piece of text: a special token (its id) or a word for BPE (SpecialId −1).</summary>
internal readonly record struct TextSegment(int Start, int Length, int SpecialId);

/// <summary>
/// Cuts text at special tokens, then splits the rest with the pre-tokenizer regex the way Hugging Face's
/// Split(behavior Isolated) does: matches and the gaps between them both become words.
/// </summary>
internal sealed class TextSegmenter
{
    private readonly Regex _words;
    private readonly Regex _codePointWords;
    private readonly Regex? _specials;
    private readonly Dictionary<string, int> _specialIds;

    public TextSegmenter(string pattern, IReadOnlyDictionary<string, int> specialTokens)
    {
        _words = new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
        // Code points, not UTF-16 units, as Hugging Face's regex sees them: 𝐀 is a letter, not two surrogates. The
        // rewritten pattern matches BMP text exactly as the original does but a quarter slower, so it runs only on
        // text that holds a surrogate.
        _codePointWords = new Regex(CodePointPattern.Rewrite(pattern), RegexOptions.Compiled | RegexOptions.CultureInvariant);
        _specialIds = new Dictionary<string, int>(specialTokens, StringComparer.Ordinal);
        // Longest first, so a special token that is a prefix of another never wins over it.
        var alternatives = specialTokens.Keys.Where(t => t.Length > 0).OrderByDescending(t => t.Length).ThenBy(t => t, StringComparer.Ordinal)
            .Select(Regex.Escape).ToList();
        _specials = alternatives.Count == 0 ? null : new Regex(string.Join('|', alternatives), RegexOptions.Compiled | RegexOptions.CultureInvariant);
    }

    public List<TextSegment> Segment(string text)
    {
        var segments = new List<TextSegment>();
        int position = 0;
        if (_specials is not null)
        {
            foreach (var match in _specials.EnumerateMatches(text))
            {
                AddWords(text, position, match.Index, segments);
                segments.Add(new TextSegment(match.Index, match.Length, _specialIds.GetAlternateLookup<ReadOnlySpan<char>>()[text.AsSpan(match.Index, match.Length)]));
                position = match.Index + match.Length;
            }
        }
        AddWords(text, position, text.Length, segments);
        return segments;
    }

    private void AddWords(string text, int start, int end, List<TextSegment> segments)
    {
        if (start == end)
            return;
        int position = start;
        var span = text.AsSpan(start, end - start);
        var words = span.ContainsAnyInRange('\uD800', '\uDFFF') ? _codePointWords : _words;
        foreach (var match in words.EnumerateMatches(span))
        {
            if (match.Length == 0)
                continue;
            int matchStart = start + match.Index;
            if (matchStart > position)
                segments.Add(new TextSegment(position, matchStart - position, -1));
            segments.Add(new TextSegment(matchStart, match.Length, -1));
            position = matchStart + match.Length;
        }
        if (position < end)
            segments.Add(new TextSegment(position, end - position, -1));
    }
}
