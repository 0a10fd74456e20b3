using System.Buffers;

namespace Rlpt.Data.Segmentation;

/// <summary>
/// Cuts a document into blocks: paragraphs separated by blank lines and, when headings are kept, heading lines and
/// list items. A single newline inside a paragraph is hard wrapping, not a break.
/// </summary>
internal static class BlockScanner
{
    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\n\r\u0085\u2028\u2029");
    private static readonly SearchValues<char> Bullets = SearchValues.Create("-*+•◦‣▪–");

    public static void Scan(string text, bool keepHeadings, List<Block> blocks)
    {
        var open = false;
        var current = default(Block);

        void Close()
        {
            if (open) blocks.Add(current);
            open = false;
        }

        void Open(int start, int end, int bodyStart, BlockKind kind)
        {
            Close();
            current = new Block(start, end, bodyStart, kind);
            open = true;
        }

        for (var pos = 0; pos < text.Length;)
        {
            var lineEnd = LineEnd(text, pos, text.Length);
            var line = text.AsSpan(pos, lineEnd - pos);
            var indent = line.Length - line.TrimStart().Length;
            var start = pos + indent;
            pos = NextLineStart(text, lineEnd);

            if (indent == line.Length) Close();
            else if (keepHeadings && IsHeading(line, indent))
            {
                Open(start, lineEnd, start, BlockKind.Heading);
                Close();
            }
            else if (keepHeadings && ListMarkerLength(line[indent..]) is > 0 and var marker)
                Open(start, lineEnd, start + marker, BlockKind.ListItem);
            // A list item takes in indented continuation lines only; an unindented line starts a paragraph.
            else if (open && (current.Kind == BlockKind.Paragraph || indent > 0))
                current = current with { End = lineEnd };
            else Open(start, lineEnd, start, BlockKind.Paragraph);
        }
        Close();
    }

    /// <summary>End of the line starting at <paramref name="pos"/>: the next line break before <paramref name="end"/>, or end.</summary>
    public static int LineEnd(string text, int pos, int end)
    {
        var found = text.AsSpan(pos, end - pos).IndexOfAny(LineBreaks);
        return found < 0 ? end : pos + found;
    }

    /// <summary>Start of the next line, given the position of a line break (CR LF counts as one).</summary>
    public static int NextLineStart(string text, int lineEnd)
    {
        if (lineEnd >= text.Length) return text.Length;
        return text[lineEnd] == '\r' && lineEnd + 1 < text.Length && text[lineEnd + 1] == '\n' ? lineEnd + 2 : lineEnd + 1;
    }

    // Markdown ATX heading: up to 3 spaces, 1-6 '#', then a space or the end of the line ("#hashtag" is text).
    private static bool IsHeading(ReadOnlySpan<char> line, int indent)
    {
        if (indent > 3) return false;
        var hashes = 0;
        while (indent + hashes < line.Length && line[indent + hashes] == '#') hashes++;
        return hashes is >= 1 and <= 6 && (indent + hashes == line.Length || char.IsWhiteSpace(line[indent + hashes]));
    }

    // Length of a list marker followed by whitespace: a bullet, "12." or "12)" (at most 3 digits, so a wrapped
    // line starting with a year such as "1984." stays text), or "(3)" / "(b)"; 0 when the line is no list item.
    private static int ListMarkerLength(ReadOnlySpan<char> s)
    {
        int length;
        if (Bullets.Contains(s[0])) length = 1;
        else if (char.IsAsciiDigit(s[0]))
        {
            length = 1;
            while (length < s.Length && length <= 3 && char.IsAsciiDigit(s[length])) length++;
            if (length > 3 || length >= s.Length || s[length] is not ('.' or ')')) return 0;
            length++;
        }
        else if (s[0] == '(')
        {
            length = 1;
            while (length < s.Length && length <= 3 && char.IsAsciiDigit(s[length])) length++;
            if (length == 1 && s.Length > 1 && char.IsAsciiLetterLower(s[1])) length = 2;
            if (length == 1 || length > 3 || length >= s.Length || s[length] != ')') return 0;
            length++;
        }
        else return 0;
        return length < s.Length && char.IsWhiteSpace(s[length]) ? length : 0;
    }
}
