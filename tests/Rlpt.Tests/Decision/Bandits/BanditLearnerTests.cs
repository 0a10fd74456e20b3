using Rlpt.Decision.Bandits;
using Rlpt.Decision.Environments;

namespace Rlpt.Tests.Decision.Bandits;

public sealed class BanditLearnerTests
{
    private static readonly Random Unused = new(0);

    [Fact]
    public void EmpTriesUnpulledArmsFirstThenTakesTheBestMean()
    {
        var history = BanditHistory.From(3, [(0, 0.9), (2, 0.1)]);
        Assert.Equal(1, new EmpiricalMean().Choose(history, Unused));
        history.Add(1, 0.5);
        Assert.Equal(0, new EmpiricalMean().Choose(history, Unused));
        Assert.Equal(0.5, history.MeanOf(1));
        var offline = BanditHistory.From(3, [(1, 0.2), (2, 0.1)]);
        Assert.Equal(1, new EmpiricalMean(tryUnpulledFirst: false).Choose(offline, Unused));
        Assert.True(double.IsNaN(new BanditHistory(2).MeanOf(0)));
    }

    [Fact]
    public void ConfidenceBoundsUseDptsBonusAndLcbNeverPicksAnArmWithoutData()
    {
        // Arm 0: one pull of 0.8 (bounds 0.8 ± 1); arm 1: four pulls averaging 0.6 (bounds 0.6 ± 0.5).
        var history = BanditHistory.From(3, [(0, 0.8), (1, 0.6), (1, 0.6), (1, 0.6), (1, 0.6)]);
        Assert.Equal(2, new ConfidenceBound(optimistic: true).Choose(history, Unused)); // unpulled first
        history.Add(2, -5);
        Assert.Equal(0, new ConfidenceBound(optimistic: true).Choose(history, Unused)); // 1.8 > 1.1
        Assert.Equal(1, new ConfidenceBound(optimistic: false).Choose(history, Unused)); // 0.1 > −0.2
        var partial = BanditHistory.From(2, [(1, -3.0)]);
        Assert.Equal(1, new ConfidenceBound(optimistic: false).Choose(partial, Unused));
    }

    [Fact]
    public void GaussianThompsonSamplingHasTheConjugatePosterior()
    {
        var ts = new GaussianThompsonSampling(sigma: 0.3);
        var history = BanditHistory.From(2, [(0, 0.4), (0, 0.6)]);
        // Precision 12 + 2/0.09 = 34.2222; mean (12·0.5 + 1.0/0.09) / 34.2222 = 0.5.
        var (mean, std) = ts.Posterior(history, 0);
        Assert.Equal(0.5, mean, 10);
        Assert.Equal(Math.Sqrt(1 / (12 + 2 / 0.09)), std, 10);
        var prior = ts.Posterior(history, 1);
        Assert.Equal(0.5, prior.Mean, 12);
        Assert.Equal(Math.Sqrt(1.0 / 12), prior.Std, 12);
        var confident = BanditHistory.From(2, Enumerable.Repeat((1, 0.9), 50).Concat(Enumerable.Repeat((0, 0.1), 50)));
        Assert.Equal(1, new GaussianThompsonSampling(0.3, greedy: true).Choose(confident, Unused));
    }

    [Fact]
    public void LinUcbInvertsItsDesignMatrixAndFindsTheBestArm()
    {
        var inverse = LinUcb.Invert(new double[,] { { 4, 1 }, { 1, 3 } });
        // [[4, 1], [1, 3]]⁻¹ = [[3, −1], [−1, 4]] / 11.
        Assert.Equal(3 / 11.0, inverse[0, 0], 12);
        Assert.Equal(-1 / 11.0, inverse[0, 1], 12);
        Assert.Equal(4 / 11.0, inverse[1, 1], 12);

        var features = LinearBandit.SampleFeatures(seed: 0);
        var bandit = LinearBandit.Sample(new Random(4), features, noise: 0.5);
        Assert.True(OnlineRegret(new LinUcb(features), bandit, 300, seed: 1) < OnlineRegret(new Uniform(), bandit, 300, seed: 1) / 2);
    }

    [Fact]
    public void OptimisticLearnersRegretLessThanUniformPullsOnEveryFamily()
    {
        var gaussian = new GaussianBandit([0.1, 0.5, 0.9, 0.3, 0.6], 0.3);
        var bernoulli = new BernoulliBandit([0.1, 0.5, 0.9, 0.3, 0.6]);
        double uniform = OnlineRegret(new Uniform(), gaussian, 500, seed: 2);
        Assert.True(OnlineRegret(new ConfidenceBound(optimistic: true), gaussian, 500, seed: 2) < uniform / 3);
        Assert.True(OnlineRegret(new GaussianThompsonSampling(0.3), gaussian, 500, seed: 2) < uniform / 3);
        Assert.True(OnlineRegret(new BetaThompsonSampling(), bernoulli, 500, seed: 2) < OnlineRegret(new Uniform(), bernoulli, 500, seed: 2) / 3);
    }

    private static double OnlineRegret(IBanditLearner learner, IBandit bandit, int horizon, int seed) =>
        OnlinePlay.CumulativeRegret(learner, bandit, horizon, new Random(seed))[^1];

    private sealed class Uniform : IBanditLearner
    {
        public string Name => "uniform";
        public int Choose(BanditHistory history, Random random) => random.Next(history.Arms);
    }
}
