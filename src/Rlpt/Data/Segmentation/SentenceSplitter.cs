using System.Buffers;

namespace Rlpt.Data.Segmentation;

/// <summary>
/// Finds sentence ends inside one block. A candidate is a run of terminal marks plus any closing quotes or brackets
/// right after it (which stay with the sentence). The rules, in order:
/// <list type="number">
/// <item>CJK full stops 。！？．｡ end a sentence, no space needed.</item>
/// <item>Otherwise whitespace (or the block's end) must follow, so "example.com", "3.14", "v2.0" and "e.g.," never split.</item>
/// <item>'?' '!' (and ‼ ⁇ ⁈ ⁉ ؟ । ॥) end a sentence unless the next word is lower-case ("Stop!" he cried).</item>
/// <item>An ellipsis ("..", "...", "…", or a period after a space as in ". . .") ends one only before a capital.</item>
/// <item>A single period follows the <see cref="PeriodRole"/> of the word before it.</item>
/// </list>
/// A newline is whitespace like any other, so hard-wrapped lines and a lower-case word on the next line get no
/// special treatment.
/// </summary>
internal static class SentenceSplitter
{
    private static readonly SearchValues<char> Terminals = SearchValues.Create(".!?…。！？．｡‼⁇⁈⁉؟।॥");
    private static readonly SearchValues<char> Unspaced = SearchValues.Create("。！？．｡");
    private static readonly SearchValues<char> Exclamations = SearchValues.Create("!?‼⁇⁈⁉؟।॥");
    private const string CloserChars = "\"'”’»›)]}」』）】》〉〕";
    private const string OpenerChars = "\"'“‘«‹([{¿¡「『（【《〈〔";
    private static readonly SearchValues<char> Closers = SearchValues.Create(CloserChars);
    private static readonly SearchValues<char> Openers = SearchValues.Create(OpenerChars);

    /// <summary>Adds the sentences of [<paramref name="start"/>, <paramref name="end"/>) to <paramref name="pieces"/>, scanning from <paramref name="bodyStart"/>.</summary>
    public static void Split(string text, int start, int bodyStart, int end, List<Segment> pieces)
    {
        var pieceStart = start;
        var i = bodyStart;
        while (i < end)
        {
            var found = text.AsSpan(i, end - i).IndexOfAny(Terminals);
            if (found < 0) break;
            var runStart = i + found;
            var runEnd = runStart + 1;
            while (runEnd < end && Terminals.Contains(text[runEnd])) runEnd++;
            var after = runEnd;
            while (after < end && Closers.Contains(text[after])) after++;
            if (EndsSentence(text, bodyStart, runStart, runEnd, after, end))
            {
                Segment.AddTrimmed(text, pieceStart, after, pieces);
                pieceStart = after;
            }
            i = after;
        }
        Segment.AddTrimmed(text, pieceStart, end, pieces);
    }

    private static bool EndsSentence(string text, int bodyStart, int runStart, int runEnd, int after, int end)
    {
        var run = text.AsSpan(runStart, runEnd - runStart);
        if (run.ContainsAny(Unspaced)) return true;
        if (after < end && !char.IsWhiteSpace(text[after])) return false;

        var next = after;
        while (next < end && char.IsWhiteSpace(text[next])) next++;
        if (next == end) return true;

        var wordStart = next;
        while (wordStart < end && Openers.Contains(text[wordStart])) wordStart++;
        var wordEnd = wordStart;
        while (wordEnd < end && char.IsLetterOrDigit(text[wordEnd])) wordEnd++;
        var first = wordStart < end ? text[wordStart] : text[next];

        if (run.ContainsAny(Exclamations)) return !char.IsLower(first);
        if (run.Length > 1 || run[0] == '…') return char.IsUpper(first);

        var word = WordBefore(text, bodyStart, runStart);
        if (word.IsEmpty) return text[next] != '.' && char.IsUpper(first);
        return Abbreviations.Classify(word) switch
        {
            PeriodRole.Prefix => false,
            PeriodRole.Terminal => char.IsUpper(first),
            // A starter that is itself followed by a period is another initial: "J. A. Smith".
            PeriodRole.Continuation => Abbreviations.IsSentenceStarter(text.AsSpan(wordStart, wordEnd - wordStart))
                && (wordEnd == end || text[wordEnd] != '.'),
            _ => true,
        };
    }

    // The whitespace-delimited word before a period, without the quotes or brackets around it.
    private static ReadOnlySpan<char> WordBefore(string text, int bodyStart, int period)
    {
        var start = period;
        while (start > bodyStart && !char.IsWhiteSpace(text[start - 1])) start--;
        return text.AsSpan(start, period - start).TrimStart(OpenerChars).TrimEnd(CloserChars);
    }
}
