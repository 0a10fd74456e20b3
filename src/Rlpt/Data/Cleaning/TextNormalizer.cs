using System.Text;

namespace Rlpt.Data.Cleaning;

/// <summary>
/// Canonical text, so equal-looking documents are equal strings and tokenizers see no invisible noise:
/// Unicode NFC; line endings (CRLF, CR, NEL, U+2028/2029) to '\n'; control characters removed except '\n' and '\t';
/// other whitespace (NBSP, ideographic space, form feed…) read as a space; a run of spaces/tabs within a line becomes
/// its first character (so indentation by tabs stays a tab); trailing spaces removed from every line; runs of blank
/// lines become one blank line (three or more '\n' become two); the document trimmed.
/// </summary>
public static class TextNormalizer
{
    public static string Normalize(string text)
    {
        text = text.Normalize(NormalizationForm.FormC);
        var result = new StringBuilder(text.Length);
        var pendingSpace = '\0';
        var pendingNewlines = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') continue;
            if (c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029')
            {
                pendingSpace = '\0';
                if (result.Length > 0) pendingNewlines++;
            }
            else if (c == '\t' || char.IsWhiteSpace(c))
            {
                if (pendingSpace == '\0') pendingSpace = c == '\t' ? '\t' : ' ';
            }
            else if (!char.IsControl(c))
            {
                if (pendingNewlines > 0) result.Append('\n', Math.Min(pendingNewlines, 2));
                if (pendingSpace != '\0' && result.Length > 0) result.Append(pendingSpace);
                pendingNewlines = 0;
                pendingSpace = '\0';
                result.Append(c);
            }
        }
        return result.Length == text.Length && result.Equals(text.AsSpan()) ? text : result.ToString();
    }
}
