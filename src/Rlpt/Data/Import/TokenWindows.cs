using Rlpt.Tokenization;

namespace Rlpt.Data.Import;

/// <summary>
/// Segments of about N tokens cut at whitespace, for corpora without sentence structure (code, tables).
/// Words are measured one by one, so a segment may end a few tokens short of N; a single word longer than N
/// tokens becomes a segment of its own.
/// </summary>
public static class TokenWindows
{
    public static IReadOnlyList<(int Start, int End)> Split(string text, Tokenizer tokenizer, int tokensPerWindow)
    {
        var windows = new List<(int, int)>();
        int start = -1, end = 0, tokens = 0, i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) break;
            int wordStart = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
            int wordTokens = tokenizer.Encode(text[(start < 0 ? wordStart : end)..i]).Count;
            if (start >= 0 && tokens + wordTokens > tokensPerWindow)
            {
                windows.Add((start, end));
                start = -1;
                tokens = 0;
                wordTokens = tokenizer.Encode(text[wordStart..i]).Count;
            }
            if (start < 0) start = wordStart;
            tokens += wordTokens;
            end = i;
        }
        if (start >= 0) windows.Add((start, end));
        return windows;
    }
}
