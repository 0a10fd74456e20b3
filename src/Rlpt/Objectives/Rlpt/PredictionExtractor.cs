using Rlpt.Tokenization;

namespace Rlpt.Objectives.Rlpt;

/// <summary>
/// Pulls the final prediction out of a completion. Rules, in order:
/// <list type="number">
/// <item>When the completion closes a reasoning block (<c>&lt;/think&gt;</c>), only the text after the last one counts,
/// so drafts written while reasoning are not mistaken for the answer.</item>
/// <item>The final answer starts after the LAST <c>&lt;|startofprediction|&gt;</c>; repeated or nested start tags
/// therefore resolve to the innermost/latest one.</item>
/// <item>It ends at the first <c>&lt;|endofprediction|&gt;</c> after that start; stray end tags after it are ignored.
/// No end tag after the last start (a truncated final answer) or no start tag at all gives null.</item>
/// <item>The text is trimmed; empty or white-space-only gives null.</item>
/// </list>
/// </summary>
public static class PredictionExtractor
{
    public static string? Extract(string? completion) => Extract(completion, SpecialTokens.StartOfPrediction, SpecialTokens.EndOfPrediction);

    /// <summary>The same rules for any pair of markers (PretrainZero's <c>\mask{</c> … <c>}</c> and <c>\boxed{</c> … <c>}</c>).</summary>
    public static string? Extract(string? completion, string startMarker, string endMarker)
    {
        if (string.IsNullOrEmpty(completion)) return null;
        var text = completion.AsSpan();
        var thinkEnd = text.LastIndexOf(SpecialTokens.ThinkEnd, StringComparison.Ordinal);
        if (thinkEnd >= 0) text = text[(thinkEnd + SpecialTokens.ThinkEnd.Length)..];

        var start = text.LastIndexOf(startMarker, StringComparison.Ordinal);
        if (start < 0) return null;
        var body = text[(start + startMarker.Length)..];
        var end = body.IndexOf(endMarker, StringComparison.Ordinal);
        if (end < 0) return null;
        var prediction = body[..end].Trim();
        return prediction.IsEmpty ? null : prediction.ToString();
    }
}
