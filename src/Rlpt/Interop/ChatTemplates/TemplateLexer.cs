namespace Rlpt.Interop.ChatTemplates;

/// <summary>
/// Splits a template into text and tag tokens, applying whitespace control the way transformers configures Jinja:
/// trim_blocks (the newline after a block or comment tag is dropped), lstrip_blocks (spaces and tabs before a block
/// or comment tag at the start of a line are dropped), "-" modifiers (all whitespace on that side is dropped),
/// "+" modifiers (both settings off for that side), and no trailing newline kept.
/// </summary>
internal sealed partial class TemplateLexer
{
    private readonly string _source;
    private readonly int[] _lineStarts;
    private readonly List<TemplateToken> _tokens = [];
    private int _pos;

    private TemplateLexer(string source)
    {
        // Jinja normalises newlines to "\n" and drops one trailing newline (keep_trailing_newline=False).
        source = source.Replace("\r\n", "\n").Replace('\r', '\n');
        _source = source.EndsWith('\n') ? source[..^1] : source;
        var starts = new List<int> { 0 };
        for (var i = 0; i < _source.Length; i++)
            if (_source[i] == '\n') starts.Add(i + 1);
        _lineStarts = [.. starts];
    }

    public static List<TemplateToken> Tokenize(string source)
    {
        var lexer = new TemplateLexer(source);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        bool stripLeading = false, dropNewline = false;
        while (true)
        {
            var textStart = _pos;
            var tag = NextTagStart(_pos);
            var text = _source[textStart..(tag < 0 ? _source.Length : tag)];
            if (dropNewline && text.StartsWith('\n')) text = text[1..];
            if (stripLeading) text = text.TrimStart();
            if (tag < 0)
            {
                AddText(text, textStart);
                break;
            }

            var kind = _source[tag + 1];
            var modifier = tag + 2 < _source.Length ? _source[tag + 2] : '\0';
            if (modifier == '-')
                text = text.TrimEnd();
            else if (kind != '{' && modifier != '+')
                text = text[..Math.Max(0, text.Length - IndentBeforeLineStartTag(tag, textStart))];
            AddText(text, textStart);

            _pos = tag + 2 + (modifier is '-' or '+' ? 1 : 0);
            char endModifier = kind switch
            {
                '#' => SkipComment(tag),
                '{' => LexTag(tag, TokenKind.OutputBegin, TokenKind.OutputEnd, "}}"),
                _ => LexTag(tag, TokenKind.StatementBegin, TokenKind.StatementEnd, "%}"),
            };
            stripLeading = endModifier == '-';
            dropNewline = kind != '{' && endModifier != '+';
        }
        _tokens.Add(new TemplateToken(TokenKind.End, "", PositionOf(_source.Length)));
    }

    private int NextTagStart(int from)
    {
        while (true)
        {
            var i = _source.IndexOf('{', from);
            if (i < 0 || i + 1 >= _source.Length) return -1;
            if (_source[i + 1] is '{' or '%' or '#') return i;
            from = i + 1;
        }
    }

    /// <summary>lstrip_blocks: how many spaces and tabs precede a tag that starts its line (0 when it does not).</summary>
    private int IndentBeforeLineStartTag(int tag, int textStart)
    {
        var j = tag;
        while (j > textStart && _source[j - 1] is ' ' or '\t') j--;
        return j == 0 || _source[j - 1] == '\n' ? tag - j : 0;
    }

    private char SkipComment(int tag)
    {
        var end = _source.IndexOf("#}", _pos, StringComparison.Ordinal);
        if (end < 0) throw new ChatTemplateException("unterminated comment: '{#' has no matching '#}'", PositionOf(tag));
        _pos = end + 2;
        return end > tag + 2 ? _source[end - 1] : '\0';
    }

    private void AddText(string text, int at)
    {
        if (text.Length > 0) _tokens.Add(new TemplateToken(TokenKind.Text, text, PositionOf(at)));
    }

    private SourcePosition PositionOf(int index)
    {
        var line = Array.BinarySearch(_lineStarts, index);
        if (line < 0) line = ~line - 1;
        return new SourcePosition(line + 1, index - _lineStarts[line] + 1);
    }
}
