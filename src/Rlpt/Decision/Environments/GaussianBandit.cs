namespace Rlpt.Decision.Environments;

/// <summary>Gaussian arms N(μ_a, σ²). DPT's family (Lee et al. 2023): 5 arms, μ_a ~ U[0, 1], σ = 0.3.</summary>
public sealed class GaussianBandit(IReadOnlyList<double> means, double sigma) : IBandit
{
    public const double DefaultSigma = 0.3;

    public IReadOnlyList<double> Means { get; } = means;
    public double Sigma { get; } = sigma;
    public int Arms => Means.Count;
    public double Mean(int arm) => Means[arm];
    public double Pull(int arm, Random random) => Means[arm] + Sigma * random.NextGaussian();

    public static GaussianBandit Sample(Random random, int arms = 5, double sigma = DefaultSigma) =>
        new(Enumerable.Range(0, arms).Select(_ => random.NextDouble()).ToArray(), sigma);
}
