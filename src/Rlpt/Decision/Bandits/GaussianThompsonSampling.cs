using Rlpt.Decision.Environments;

namespace Rlpt.Decision.Bandits;

/// <summary>
/// Thompson sampling with DPT's Gaussian prior: μ_a ~ N(1/2, 1/12) (the mean and variance of U[0, 1]) and known noise σ.
/// The posterior of an arm with n pulls summing to S has precision 12 + n/σ² and mean (6 + S/σ²) / precision; each
/// call draws one mean per arm and pulls the largest. Offline (<paramref name="greedy"/>) it takes the posterior mean.
/// </summary>
public sealed class GaussianThompsonSampling(double sigma = GaussianBandit.DefaultSigma, bool greedy = false) : IBanditLearner
{
    private const double PriorMean = 0.5, PriorPrecision = 12.0;

    public string Name => greedy ? "ts_mean" : "ts";

    public (double Mean, double Std) Posterior(BanditHistory history, int arm)
    {
        double noisePrecision = 1.0 / (sigma * sigma);
        double precision = PriorPrecision + history.CountOf(arm) * noisePrecision;
        return ((PriorPrecision * PriorMean + history.SumOf(arm) * noisePrecision) / precision, Math.Sqrt(1.0 / precision));
    }

    public int Choose(BanditHistory history, Random random) => ArgMax.Of(history.Arms, a =>
    {
        var (mean, std) = Posterior(history, a);
        return greedy ? mean : mean + std * random.NextGaussian();
    });
}
