namespace Rlpt.Evaluation;

/// <summary>
/// Percentile bootstrap confidence intervals: resample the items with replacement, take the mean of each
/// resample, and read the interval off the resampled means' quantiles (linear interpolation between order
/// statistics). A fixed seed gives the same interval every run, so reports are reproducible.
/// </summary>
public static class BootstrapInterval
{
    /// <summary>The sample mean and its bootstrap interval; NaNs for an empty sample, (v, v, v) for one value.</summary>
    public static (double Mean, double Low, double High) Mean(IReadOnlyList<double> values, double confidence = 0.95, int resamples = 2000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(confidence > 0 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must be in (0, 1).");
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (values.Count == 0) return (double.NaN, double.NaN, double.NaN);
        double mean = values.Average();
        if (values.Count == 1) return (mean, mean, mean);

        var random = new Random(seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < values.Count; i++) sum += values[random.Next(values.Count)];
            means[r] = sum / values.Count;
        }
        Array.Sort(means);
        double tail = (1 - confidence) / 2;
        return (mean, Quantile(means, tail), Quantile(means, 1 - tail));
    }

    /// <summary>
    /// Mean of a − b over paired items (the same tasks scored for two checkpoints) with its interval. Resampling
    /// items keeps each pair together, so the shared per-item difficulty cancels — far tighter than comparing two
    /// separate intervals.
    /// </summary>
    public static (double Mean, double Low, double High) Difference(IReadOnlyList<double> a, IReadOnlyList<double> b, double confidence = 0.95, int resamples = 2000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"paired samples must be equally long ({a.Count} vs {b.Count}).", nameof(b));
        // Resampling pairs and differencing equals resampling the per-item differences.
        return Mean(a.Select((x, i) => x - b[i]).ToArray(), confidence, resamples, seed);
    }

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
