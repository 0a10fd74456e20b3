namespace Rlpt.Data.Segmentation;

/// <summary>
/// Splits documents into sentences, paragraphs or lines without any model or dictionary file, as RLPT needs
/// (next-sentence prediction over real text). Segments are trimmed, ascending, non-overlapping ranges, and only
/// whitespace lies between them, so no text is lost.
/// </summary>
/// <remarks>
/// The text is first cut into blocks at blank lines (and, with <see cref="SegmentationOptions.KeepHeadings"/>, at
/// Markdown headings and list items); no segment crosses a block except when a whole paragraph is too short.
/// Sentence rules are in <see cref="SentenceSplitter"/>; abbreviation handling in <see cref="Abbreviations"/>:
/// <list type="bullet">
/// <item>titles and connectives (Mr., Dr., St., e.g., i.e., vs., cf.) never end a sentence;</item>
/// <item>etc., Inc., Ltd., Co., Corp., Jr., Sr., et al., a.m., p.m. end one when the next word is capitalised;</item>
/// <item>initials (J., F.), dotted acronyms (U.S., U.K., Ph.D.), reference words (No., Fig., Eq., Vol.) and month
/// abbreviations end one only before a common sentence-opening word (The, He, However, ...): "the U.S. Army" and
/// "John F. Kennedy" stay whole, "in the U.S. The" splits, "in the U.S. Prices" does not;</item>
/// <item>any other word's period ends a sentence, even before a lower-case word.</item>
/// </list>
/// </remarks>
public static class Segmenter
{
    public static IReadOnlyList<Segment> Split(string text, SegmentationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= new SegmentationOptions();

        var blocks = new List<Block>();
        BlockScanner.Scan(text, options.KeepHeadings, blocks);

        var output = new List<Segment>();
        var merger = new ShortSegmentMerger(options.MinChars, options.MaxChars, output);
        var pieces = new List<Segment>();
        var sized = new List<Segment>();
        foreach (var block in blocks)
        {
            pieces.Clear();
            Cut(text, block, options.Unit, pieces);
            sized.Clear();
            foreach (var piece in pieces) LongSegmentSplitter.Split(text, piece, options.MaxChars, sized);
            merger.AddBlock(sized, mergeable: block.Kind == BlockKind.Paragraph);
        }
        merger.Finish();
        return output;
    }

    /// <summary>The text of each segment of <see cref="Split"/>.</summary>
    public static IReadOnlyList<string> SplitToStrings(string text, SegmentationOptions? options = null) =>
        [.. Split(text, options).Select(segment => segment.TextOf(text))];

    private static void Cut(string text, Block block, SegmentUnit unit, List<Segment> pieces)
    {
        if (block.Kind == BlockKind.Heading || unit == SegmentUnit.Paragraph)
            Segment.AddTrimmed(text, block.Start, block.End, pieces);
        else if (unit == SegmentUnit.Sentence)
            SentenceSplitter.Split(text, block.Start, block.BodyStart, block.End, pieces);
        else
        {
            for (var pos = block.Start; pos < block.End;)
            {
                var lineEnd = BlockScanner.LineEnd(text, pos, block.End);
                Segment.AddTrimmed(text, pos, lineEnd, pieces);
                pos = BlockScanner.NextLineStart(text, lineEnd);
            }
        }
    }
}
