using System.Globalization;

namespace Rlpt.Data.Corpora.Arithmetic;

/// <summary>
/// The ways a worked solution may state its answer, for corpora that mix them (Echo Chamber, arXiv 2504.07912, pretrains
/// on a mixture of formats and asks which one RL converges to): <c>conclusion</c> "So the value of EXPR is VALUE." (the
/// default, and the only one before formats existed), <c>boxed</c> "The answer is \boxed{VALUE}." and <c>hash</c>
/// "#### VALUE" (GSM8K's). A completion's answer is the first statement in any format; text after it is new text.
/// </summary>
public static class AnswerFormats
{
    public const string Conclusion = "conclusion";
    public const string Boxed = "boxed";
    public const string Hash = "hash";
    public static IReadOnlyList<string> Names { get; } = [Conclusion, Boxed, Hash];

    private const string BoxedStart = @"The answer is \boxed{";
    private const string HashStart = "#### ";

    public static string Validate(string name) =>
        Names.Contains(name) ? name : throw new ArgumentException($"unknown answer format '{name}' (known: {string.Join(", ", Names)}).");

    /// <summary>The answer sentence in a format.</summary>
    public static string Write(string format, string expression, Rational answer) => Validate(format) switch
    {
        Conclusion => $"{ArithmeticDocuments.ConclusionStart} {expression} is {answer}.",
        Boxed => $"{BoxedStart}{answer}}}.",
        _ => $"{HashStart}{answer}",
    };

    /// <summary>The first answer stated in any format, and its format; false when none states a well-formed value.</summary>
    public static bool TryRead(string completion, out Rational value, out string? format)
    {
        value = default;
        format = null;
        var starts = new[] { (Conclusion, completion.IndexOf(ArithmeticDocuments.ConclusionStart, StringComparison.Ordinal)),
            (Boxed, completion.IndexOf(BoxedStart, StringComparison.Ordinal)), (Hash, completion.IndexOf(HashStart, StringComparison.Ordinal)) };
        var first = starts.Where(s => s.Item2 >= 0).OrderBy(s => s.Item2).FirstOrDefault();
        if (first.Item1 is null) return false;
        format = first.Item1;
        int start = first.Item2;
        string stated = format switch
        {
            Conclusion => ConclusionValue(completion, start),
            Boxed => completion.IndexOf('}', start) is int close and >= 0 ? completion[(start + BoxedStart.Length)..close] : "",
            _ => FirstLine(completion[(start + HashStart.Length)..]),
        };
        return NumericAnswer.TryParseStatedValue(stated, out value);
    }

    // "So the value of EXPR is VALUE." — the value follows the sentence's last " is ". A sentence ends at a '.' followed by
    // white space or the end of the text (a '.' inside "2.5" does not end it), or at a line break.
    private static string ConclusionValue(string text, int start)
    {
        int end = start;
        while (end < text.Length && text[end] != '\n' && !(text[end] == '.' && (end + 1 == text.Length || char.IsWhiteSpace(text[end + 1])))) end++;
        var sentence = text.AsSpan(start, Math.Min(end + 1, text.Length) - start);
        int verb = sentence.LastIndexOf(" is ", StringComparison.Ordinal);
        return verb < 0 ? "" : sentence[(verb + 4)..].ToString();
    }

    private static string FirstLine(string text)
    {
        int end = text.IndexOfAny(['\n', ' ']);
        return (end < 0 ? text : text[..end]).Trim();
    }

    /// <summary>Parses "NAME=W" pairs into format weights (all formats named, weights positive).</summary>
    public static IReadOnlyDictionary<string, double> ParseWeights(IEnumerable<string> pairs) => pairs.ToDictionary(
        p => Validate(p.Split('=')[0]),
        p => p.Split('=') is [_, var w] && double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out double weight) && weight > 0
            ? weight : throw new ArgumentException($"an answer format weight must be NAME=W with W > 0 (got '{p}')."));
}
