using System.Globalization;
using System.Text;

namespace Rlpt.Interop.ChatTemplates;

/// <summary>The tokens inside <c>{{ }}</c> and <c>{% %}</c> tags.</summary>
internal sealed partial class TemplateLexer
{
    private static readonly string[] Operators =
        ["**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "|", ".", ",", ":", "(", ")", "[", "]", "{", "}", "<", ">", "="];

    /// <summary>Lexes one tag up to its end marker (outside any braces); returns the end's modifier ('-', '+' or '\0').</summary>
    private char LexTag(int tag, TokenKind begin, TokenKind end, string endMarker)
    {
        _tokens.Add(new TemplateToken(begin, _source.Substring(tag, 2), PositionOf(tag)));
        var braces = 0;
        while (true)
        {
            while (_pos < _source.Length && char.IsWhiteSpace(_source[_pos])) _pos++;
            if (_pos >= _source.Length)
                throw new ChatTemplateException($"unterminated tag: '{_source.Substring(tag, 2)}' has no matching '{endMarker}'", PositionOf(tag));
            if (braces == 0)
            {
                var modifier = _source[_pos] is '-' or '+' && string.CompareOrdinal(_source, _pos + 1, endMarker, 0, 2) == 0 ? _source[_pos] : '\0';
                var at = _pos + (modifier == '\0' ? 0 : 1);
                if (string.CompareOrdinal(_source, at, endMarker, 0, 2) == 0)
                {
                    _tokens.Add(new TemplateToken(end, endMarker, PositionOf(at)));
                    _pos = at + 2;
                    return modifier;
                }
            }
            var token = LexTagToken();
            if (token.IsOperator("{")) braces++;
            else if (token.IsOperator("}")) braces--;
            _tokens.Add(token);
        }
    }

    private TemplateToken LexTagToken()
    {
        var start = _pos;
        var c = _source[_pos];
        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (_pos < _source.Length && (char.IsAsciiLetterOrDigit(_source[_pos]) || _source[_pos] == '_')) _pos++;
            return new TemplateToken(TokenKind.Name, _source[start.._pos], PositionOf(start));
        }
        if (char.IsAsciiDigit(c)) return LexNumber(start);
        if (c is '\'' or '"') return LexString(start, c);
        foreach (var op in Operators)
        {
            if (string.CompareOrdinal(_source, _pos, op, 0, op.Length) == 0)
            {
                _pos += op.Length;
                return new TemplateToken(TokenKind.Operator, op, PositionOf(start));
            }
        }
        throw new ChatTemplateException($"unexpected character '{c}' in tag", PositionOf(start));
    }

    private TemplateToken LexNumber(int start)
    {
        SkipDigits();
        var isFloat = false;
        // "messages[0].role": a dot starts a fraction only when a digit follows.
        if (_pos + 1 < _source.Length && _source[_pos] == '.' && char.IsAsciiDigit(_source[_pos + 1]))
        {
            _pos++;
            SkipDigits();
            isFloat = true;
        }
        if (_pos < _source.Length && _source[_pos] is 'e' or 'E')
        {
            var save = _pos++;
            if (_pos < _source.Length && _source[_pos] is '+' or '-') _pos++;
            if (_pos < _source.Length && char.IsAsciiDigit(_source[_pos])) { SkipDigits(); isFloat = true; }
            else _pos = save;
        }
        var text = _source[start.._pos];
        var digits = text.Replace("_", "");
        var position = PositionOf(start);
        if (isFloat) return new TemplateToken(TokenKind.Float, text, position, double.Parse(digits, CultureInfo.InvariantCulture));
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? new TemplateToken(TokenKind.Integer, text, position, value)
            : throw new ChatTemplateException($"integer {text} is too large", position);
    }

    private void SkipDigits()
    {
        while (_pos < _source.Length && (char.IsAsciiDigit(_source[_pos]) || _source[_pos] == '_')) _pos++;
    }

    /// <summary>Python-style string literal; unknown escapes keep their backslash, as Python does.</summary>
    private TemplateToken LexString(int start, char quote)
    {
        var value = new StringBuilder();
        _pos++;
        while (true)
        {
            if (_pos >= _source.Length) throw new ChatTemplateException("unterminated string literal", PositionOf(start));
            var c = _source[_pos++];
            if (c == quote) break;
            if (c != '\\' || _pos >= _source.Length)
            {
                value.Append(c);
                continue;
            }
            var e = _source[_pos++];
            switch (e)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case '0': value.Append('\0'); break;
                case '\\' or '\'' or '"': value.Append(e); break;
                case '\n': break;
                case 'x': value.Append(HexEscape(2, start)); break;
                case 'u': value.Append(HexEscape(4, start)); break;
                case 'U': value.Append(HexEscape(8, start)); break;
                default: value.Append('\\').Append(e); break;
            }
        }
        return new TemplateToken(TokenKind.String, _source[start.._pos], PositionOf(start), value.ToString());
    }

    private string HexEscape(int digits, int start)
    {
        if (_pos + digits > _source.Length
            || !int.TryParse(_source.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
            || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
            throw new ChatTemplateException($"invalid \\{_source[_pos - 1]} escape in string literal", PositionOf(start));
        _pos += digits;
        return char.ConvertFromUtf32(code);
    }
}
