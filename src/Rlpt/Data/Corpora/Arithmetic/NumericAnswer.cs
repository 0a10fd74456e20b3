using System.Text.RegularExpressions;

namespace Rlpt.Data.Corpora.Arithmetic;

/// <summary>Reads the value a sentence states and scores it against the truth, for verifiable rewards.</summary>
public static partial class NumericAnswer
{
    // A maximal run of number characters; it is validated as a whole so that "1/2/3" or "23/" fails rather than
    // yielding a piece of itself.
    [GeneratedRegex(@"[0-9][0-9.,/]*")]
    private static partial Regex NumberRun();

    // Thousands groups must be exactly three digits; a decimal part and a fraction exclude each other.
    [GeneratedRegex(@"^(?<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:(?<dec>\.[0-9]+)|/(?<den>[0-9]+))?$")]
    private static partial Regex WellFormedNumber();

    private const string ClosingPunctuation = ".,;:!?)]}\"'`”’";

    /// <summary>
    /// The last number in <paramref name="text"/>: an integer, "1,000", a decimal "2.5" or a fraction "-23/4", with a
    /// leading '-' (or '−') read as a sign when it is glued to the digits and not preceded by a letter, digit or ')'
    /// (so "5-3" states 3, "is -3" states -3). Only white space and closing punctuation may follow it, so a text
    /// cut off mid-statement ("the value of 2 + 2 is") states nothing. False also when the last number is malformed
    /// ("1/2/3", "23/", "1,00", "4/0") or glued to a power or a word ("2^3", "12x", "1.5e3").
    /// </summary>
    public static bool TryParseStatedValue(string text, out Rational value)
    {
        value = default;
        var runs = NumberRun().Matches(text);
        if (runs.Count == 0) return false;
        var run = runs[^1];
        var token = run.Value.TrimEnd('.', ',');
        if (run.Index > 0 && (text[run.Index - 1] == '^' || char.IsLetter(text[run.Index - 1]))) return false;
        foreach (var c in text.AsSpan(run.Index + token.Length))
            if (!char.IsWhiteSpace(c) && !ClosingPunctuation.Contains(c)) return false;

        var match = WellFormedNumber().Match(token);
        if (!match.Success) return false;
        var integer = match.Groups["int"].Value.Replace(",", "");
        var number = match.Groups["dec"].Success ? integer + match.Groups["dec"].Value
            : match.Groups["den"].Success ? $"{integer}/{match.Groups["den"].Value}"
            : integer;
        if (!Rational.TryParse(number, out value)) return false;
        if (IsSign(text, run.Index - 1)) value = -value;
        return true;
    }

    private static bool IsSign(string text, int at)
    {
        if (at < 0 || text[at] is not ('-' or '−')) return false;
        if (at == 0) return true;
        var before = text[at - 1];
        return !char.IsLetterOrDigit(before) && before != ')';
    }

    /// <summary>Exact equality of values, so 2/4, 0.5 and 1/2 are all equivalent.</summary>
    public static bool Equivalent(Rational a, Rational b) => a == b;

    /// <summary>
    /// The continuous reward of arXiv 2507.10532:
    /// r = 1 − 0.5·min(|a−b|, 1) − 0.5·min(|a−b| / (|b| + 1e-6), 1), for prediction a and truth b; in [0, 1], 1 only
    /// when a = b. A non-finite prediction scores 0.
    /// </summary>
    public static double ContinuousReward(double predicted, double truth)
    {
        if (!double.IsFinite(predicted)) return 0;
        var error = Math.Abs(predicted - truth);
        return 1 - 0.5 * Math.Min(error, 1) - 0.5 * Math.Min(error / (Math.Abs(truth) + 1e-6), 1);
    }
}
