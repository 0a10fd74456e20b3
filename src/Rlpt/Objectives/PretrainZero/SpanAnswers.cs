using System.Globalization;
using System.Text;
using Rlpt.Objectives.Rlpt;

namespace Rlpt.Objectives.PretrainZero;

/// <summary>
/// Reading the two roles' answers. The generator writes its span as <c>\mask{...}</c>, the predictor its answer as
/// <c>\boxed{...}</c>, read by RLPT's prediction rules (<see cref="PredictionExtractor"/>): only the text after the last
/// <c>&lt;/think&gt;</c> counts, the last opener is read up to the first closing brace after it (so an answer cannot
/// itself hold a "}"), and an opener without its brace (a truncated answer) or an empty answer gives null.
/// </summary>
public static class SpanAnswers
{
    public const string MaskOpener = @"\mask{";
    public const string BoxedOpener = @"\boxed{";

    public static string? Span(string completion) => PredictionExtractor.Extract(completion, MaskOpener, "}");

    public static string? Prediction(string completion) => PredictionExtractor.Extract(completion, BoxedOpener, "}");

    /// <summary>
    /// The exact-match rule, after normalisation of both sides: Unicode NFKC, case folded (invariant), runs of white
    /// space as one space, punctuation at either end dropped ("The cat." matches "the cat"). An empty answer never matches.
    /// </summary>
    public static bool Matches(string? prediction, string span)
    {
        if (prediction is null) return false;
        string answer = Normalize(prediction);
        return answer.Length > 0 && answer == Normalize(span);
    }

    public static string Normalize(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture);
        var words = string.Join(' ', folded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).AsSpan();
        static bool Strip(char c) => char.IsPunctuation(c) || char.IsSymbol(c) || char.IsWhiteSpace(c);
        while (words.Length > 0 && Strip(words[0])) words = words[1..];
        while (words.Length > 0 && Strip(words[^1])) words = words[..^1];
        return words.ToString();
    }
}
