using System.Text.Json.Serialization;

namespace Rlpt.Evaluation;

/// <summary>A mean with its bootstrap confidence interval, as reports store it.</summary>
public sealed record Estimate(
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("low")] double Low,
    [property: JsonPropertyName("high")] double High)
{
    /// <summary>The mean of <paramref name="values"/> with a 95% percentile-bootstrap interval.</summary>
    public static Estimate Of(IReadOnlyList<double> values, int seed = 0)
    {
        var (mean, low, high) = BootstrapInterval.Mean(values, seed: seed);
        return new Estimate(mean, low, high);
    }

    /// <summary>The estimate under a monotone increasing transform (e.g. exp of a loss gives a perplexity).</summary>
    public Estimate Map(Func<double, double> increasing) => new(increasing(Mean), increasing(Low), increasing(High));

    public override string ToString() => FormattableString.Invariant($"{Mean:0.###} [{Low:0.###}, {High:0.###}]");
}
