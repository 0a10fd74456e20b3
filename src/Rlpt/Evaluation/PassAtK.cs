namespace Rlpt.Evaluation;

/// <summary>
/// The unbiased pass@k estimator of Chen et al. (2021), "Evaluating Large Language Models Trained on Code":
/// with n samples of which c are correct, pass@k = 1 − C(n−c, k) / C(n, k), the chance that k samples drawn
/// without replacement include a correct one.
/// </summary>
public static class PassAtK
{
    public static double Estimate(int n, int c, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (c < 0 || c > n) throw new ArgumentOutOfRangeException(nameof(c), c, $"correct samples must be in [0, {n}].");
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, {n}].");
        if (n - c < k) return 1;
        // C(n−c, k) / C(n, k) = ∏_{i=n−c+1}^{n} (1 − k/i): a product of factors in (0, 1], free of huge binomials.
        double miss = 1;
        for (int i = n - c + 1; i <= n; i++) miss *= 1 - (double)k / i;
        return 1 - miss;
    }
}
