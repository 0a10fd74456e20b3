namespace Rlpt.Decision.Environments;

/// <summary>
/// A linear bandit: arm a has features x_a ∈ R^d and reward ⟨θ, x_a⟩ + ε, ε ~ N(0, noise²). As in DPT and Lin, Bai &amp;
/// Mei, the arms' features are drawn once (from the feature seed) and shared by every task; each task draws its own
/// θ ~ N(0, I/d). Defaults: d = 5, 10 arms, noise 1.5 (Lin, Bai &amp; Mei).
/// </summary>
public sealed class LinearBandit(double[][] features, double[] theta, double noise) : IBandit
{
    public const double DefaultNoise = 1.5;

    public double[][] Features { get; } = features;
    public double[] Theta { get; } = theta;
    public double Noise { get; } = noise;
    public int Arms => Features.Length;
    public int Dimension => Theta.Length;

    public double Mean(int arm)
    {
        double sum = 0;
        for (int i = 0; i < Theta.Length; i++) sum += Theta[i] * Features[arm][i];
        return sum;
    }

    public double Pull(int arm, Random random) => Mean(arm) + Noise * random.NextGaussian();

    /// <summary>Arm features x_a ~ N(0, I/d), shared by every task of a family.</summary>
    public static double[][] SampleFeatures(int seed, int arms = 10, int dimension = 5)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, arms).Select(_ => Enumerable.Range(0, dimension).Select(_ => random.NextGaussian() / Math.Sqrt(dimension)).ToArray()).ToArray();
    }

    public static LinearBandit Sample(Random random, double[][] features, double noise = DefaultNoise)
    {
        int d = features[0].Length;
        return new(features, Enumerable.Range(0, d).Select(_ => random.NextGaussian() / Math.Sqrt(d)).ToArray(), noise);
    }
}
