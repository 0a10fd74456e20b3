namespace Rlpt.Decision.Offline.Data;

/// <summary>
/// Draws minibatch rows with replacement, uniformly or in proportion to per-row weights (trajectory weighting). The
/// rows of step s are a pure function of (seed, s), so a resumed run draws exactly the batches an uninterrupted one does.
/// </summary>
public sealed class TransitionSampler
{
    private readonly int count;
    private readonly double[]? cumulative;
    private readonly int seed;

    public TransitionSampler(int count, int seed, IReadOnlyList<double>? weights = null)
    {
        if (count < 1) throw new ArgumentException("nothing to sample from.");
        this.count = count;
        this.seed = seed;
        if (weights is null) return;
        if (weights.Count != count) throw new ArgumentException($"{weights.Count} weights for {count} rows.");
        if (weights.Any(w => w < 0 || !double.IsFinite(w))) throw new ArgumentException("sampling weights must be finite and non-negative.");
        cumulative = new double[count];
        double total = 0;
        for (int i = 0; i < count; i++) cumulative[i] = total += weights[i];
        if (total <= 0) throw new ArgumentException("sampling weights sum to zero.");
    }

    public int[] Rows(int step, int batchSize)
    {
        var random = new Random(unchecked(seed * 1_000_003 + step));
        var rows = new int[batchSize];
        for (int i = 0; i < batchSize; i++)
        {
            if (cumulative is null) rows[i] = random.Next(count);
            else rows[i] = FirstAbove(cumulative, random.NextDouble() * cumulative[^1]);
        }
        return rows;
    }

    /// <summary>The first row whose cumulative weight exceeds u: row i owns [c(i−1), c(i)), so zero-weight rows are never drawn.</summary>
    private static int FirstAbove(double[] cumulative, double u)
    {
        int low = 0, high = cumulative.Length - 1;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (cumulative[middle] > u) high = middle;
            else low = middle + 1;
        }
        return low;
    }
}
