namespace Rlpt.Data.Segmentation;

/// <summary>Cuts pieces longer than the maximum at the best boundary before the limit (see <see cref="SegmentationOptions"/>).</summary>
internal static class LongSegmentSplitter
{
    public static void Split(string text, Segment piece, int maxChars, List<Segment> output)
    {
        var start = piece.Start;
        while (piece.End - start > maxChars)
        {
            var cut = FindCut(text, start, piece.End, maxChars);
            Segment.AddTrimmed(text, start, cut, output);
            start = cut;
            while (char.IsWhiteSpace(text[start])) start++;
        }
        output.Add(new Segment(start, piece.End));
    }

    // The cut is an exclusive end in (start, start + maxChars]. Punctuation is only taken in the second half of
    // the window so that a clause mark near the start does not leave a tiny piece.
    private static int FindCut(string text, int start, int end, int maxChars)
    {
        var limit = start + maxChars;
        var half = start + maxChars / 2;
        var comma = -1;
        var space = -1;
        for (var p = limit - 1; p > start; p--)
        {
            var c = text[p];
            if (p >= half)
            {
                var spaced = char.IsWhiteSpace(text[p + 1]);
                if ((c is ';' or ':' && spaced) || c is '；' or '：') return p + 1;
                if (comma < 0 && ((c == ',' && spaced) || c is '，' or '、')) comma = p + 1;
            }
            if (space < 0 && char.IsWhiteSpace(text[p + 1])) space = p + 1;
        }
        if (comma > 0) return comma;
        if (space > 0) return space;
        // No whitespace at all: cut hard, but not between the halves of a surrogate pair when avoidable.
        return char.IsHighSurrogate(text[limit - 1]) && limit - 1 > start ? limit - 1 : limit;
    }
}
