using System.Globalization;

namespace Rlpt.Cli.Infrastructure;

/// <summary>Parses repeatable NAME=NUMBER options (source weights, reward weights).</summary>
public static class WeightOptions
{
    public static Dictionary<string, double> Parse(IEnumerable<string> values, string option) => values.Select(w =>
    {
        int eq = w.LastIndexOf('=');
        if (eq <= 0 || !double.TryParse(w[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new ArgumentException($"{option} expects NAME=NUMBER (got '{w}').");
        return (w[..eq], value);
    }).ToDictionary(p => p.Item1, p => p.Item2);
}
