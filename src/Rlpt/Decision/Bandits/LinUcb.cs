namespace Rlpt.Decision.Bandits;

/// <summary>
/// LinUCB (Li et al. 2010) on fixed arm features: ridge estimate θ̂ = A⁻¹b with A = λI + Σ x xᵀ, b = Σ r x, and the arm
/// maximising ⟨θ̂, x_a⟩ + α·sqrt(x_aᵀ A⁻¹ x_a). Defaults λ = 1, α = 1.
/// </summary>
public sealed class LinUcb(double[][] features, double alpha = 1.0, double ridge = 1.0) : IBanditLearner
{
    public string Name => alpha == 0 ? "ridge" : "linucb";

    public int Choose(BanditHistory history, Random random)
    {
        int d = features[0].Length;
        var a = new double[d, d];
        var b = new double[d];
        for (int i = 0; i < d; i++) a[i, i] = ridge;
        foreach (var (arm, reward) in history.Pulls)
        {
            var x = features[arm];
            for (int i = 0; i < d; i++)
            {
                b[i] += reward * x[i];
                for (int j = 0; j < d; j++) a[i, j] += x[i] * x[j];
            }
        }
        var inverse = Invert(a);
        var theta = Multiply(inverse, b);
        return ArgMax.Of(features.Length, arm =>
        {
            var x = features[arm];
            var ax = Multiply(inverse, x);
            double width = 0, estimate = 0;
            for (int i = 0; i < d; i++) { width += x[i] * ax[i]; estimate += theta[i] * x[i]; }
            return estimate + alpha * Math.Sqrt(Math.Max(0, width));
        });
    }

    private static double[] Multiply(double[,] m, double[] v)
    {
        int d = v.Length;
        var result = new double[d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) result[i] += m[i, j] * v[j];
        return result;
    }

    /// <summary>Gauss–Jordan inversion of the (symmetric positive definite, small) design matrix.</summary>
    internal static double[,] Invert(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var m = (double[,])matrix.Clone();
        var inverse = new double[n, n];
        for (int i = 0; i < n; i++) inverse[i, i] = 1;
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r, col]));
            for (int k = 0; k < n; k++)
            {
                (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
                (inverse[col, k], inverse[pivot, k]) = (inverse[pivot, k], inverse[col, k]);
            }
            double scale = m[col, col];
            for (int k = 0; k < n; k++) { m[col, k] /= scale; inverse[col, k] /= scale; }
            for (int r = 0; r < n; r++)
            {
                if (r == col) continue;
                double factor = m[r, col];
                for (int k = 0; k < n; k++) { m[r, k] -= factor * m[col, k]; inverse[r, k] -= factor * inverse[col, k]; }
            }
        }
        return inverse;
    }
}
