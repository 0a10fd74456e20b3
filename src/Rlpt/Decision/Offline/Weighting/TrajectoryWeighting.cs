using Rlpt.Decision.Offline.Data;

namespace Rlpt.Decision.Offline.Weighting;

/// <summary>
/// Trajectory weighting (Hong et al., "Harnessing mixed offline RL datasets via trajectory weighting", ICLR 2023):
/// sample transitions in proportion to their trajectory's weight instead of uniformly, so a dataset dominated by poor
/// trajectories trains like one dominated by good ones. Return-weighted (RW): w ∝ exp(Ĝ/α); advantage-weighted (AW):
/// w ∝ exp(Â/α) with A = G − V̂(s₀), V̂ a least-squares linear fit of the return on the initial state; Ĝ and Â
/// min-max normalised over the dataset's trajectories; α = 0.1 in the paper.
/// </summary>
public static class TrajectoryWeighting
{
    /// <summary>Per-transition sampling weights (each transition carries its trajectory's), for rw or aw.</summary>
    public static double[] TransitionWeights(EpisodeDataset dataset, string kind, double alpha)
    {
        var episodeWeights = EpisodeWeights(dataset, kind, alpha);
        var weights = new double[dataset.Count];
        for (int e = 0; e < dataset.Episodes.Count; e++)
        {
            var (start, length) = dataset.Episodes[e];
            Array.Fill(weights, episodeWeights[e], start, length);
        }
        return weights;
    }

    public static double[] EpisodeWeights(EpisodeDataset dataset, string kind, double alpha)
    {
        var returns = dataset.EpisodeReturns();
        var scores = kind switch
        {
            "rw" => returns,
            "aw" => Advantages(dataset, returns),
            _ => throw new ArgumentException($"unknown trajectory weighting '{kind}' (rw, aw)."),
        };
        double min = scores.Min(), max = scores.Max();
        // All trajectories equally good: uniform weights (the min-max normalisation is undefined).
        if (max - min < 1e-12) return scores.Select(_ => 1.0).ToArray();
        return scores.Select(s => Math.Exp(((s - min) / (max - min) - 1) / alpha)).ToArray();
    }

    /// <summary>G − V̂(s₀) per trajectory, V̂(s) = wᵀs + b fitted by least squares (a 1e-6 ridge keeps a constant dimension solvable).</summary>
    public static double[] Advantages(EpisodeDataset dataset, double[] returns)
    {
        int d = dataset.ObservationSize + 1;
        var gram = new double[d, d];
        var moment = new double[d];
        var features = dataset.Episodes.Select(e => Features(dataset, e.Start)).ToArray();
        for (int e = 0; e < features.Length; e++)
            for (int i = 0; i < d; i++)
            {
                moment[i] += features[e][i] * returns[e];
                for (int j = 0; j < d; j++) gram[i, j] += features[e][i] * features[e][j];
            }
        for (int i = 0; i < d; i++) gram[i, i] += 1e-6;
        var weights = Solve(gram, moment);
        return features.Select((x, e) => returns[e] - x.Zip(weights, (a, b) => a * b).Sum()).ToArray();
    }

    private static double[] Features(EpisodeDataset dataset, int row) => [.. dataset.Observation(row).ToArray().Select(v => (double)v), 1.0];

    /// <summary>Gaussian elimination with partial pivoting (the system is (obs + 1)², a handful of unknowns).</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r, col]));
            for (int j = 0; j < n; j++) (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            (x[col], x[pivot]) = (x[pivot], x[col]);
            for (int r = col + 1; r < n; r++)
            {
                double factor = m[r, col] / m[col, col];
                for (int j = col; j < n; j++) m[r, j] -= factor * m[col, j];
                x[r] -= factor * x[col];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            for (int j = r + 1; j < n; j++) x[r] -= m[r, j] * x[j];
            x[r] /= m[r, r];
        }
        return x;
    }
}
