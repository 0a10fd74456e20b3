using Rlpt.Decision.Environments;

namespace Rlpt.Tests.Decision.Environments;

public sealed class BanditTests
{
    [Fact]
    public void ArmsRewardAroundTheirMeans()
    {
        var random = new Random(3);
        var gaussian = new GaussianBandit([0.2, 0.7], 0.3);
        Assert.Equal(0.7, Enumerable.Range(0, 20000).Average(_ => gaussian.Pull(1, random)), 2);
        double spread = Math.Sqrt(Enumerable.Range(0, 20000).Select(_ => gaussian.Pull(0, random) - 0.2).Average(d => d * d));
        Assert.Equal(0.3, spread, 2);
        var bernoulli = new BernoulliBandit([0.25, 0.9]);
        Assert.Equal(0.25, Enumerable.Range(0, 20000).Average(_ => bernoulli.Pull(0, random)), 1);
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Contains(bernoulli.Pull(1, random), new[] { 0.0, 1.0 }));
        Assert.Equal(1, gaussian.BestArm());
        Assert.Equal(0.5, gaussian.Regret(0), 12);
    }

    [Fact]
    public void ALinearArmsMeanIsItsFeaturesDotTheta()
    {
        var bandit = new LinearBandit([[1, 0], [0.5, 2]], [0.3, -0.1], 1.5);
        Assert.Equal(0.3, bandit.Mean(0), 12);
        Assert.Equal(0.15 - 0.2, bandit.Mean(1), 12);
        Assert.Equal(0, bandit.BestArm());
        // Tasks of a family share the arm features and differ in θ.
        var family = new TaskFamily { Name = "bandit_linear" };
        var random = new Random(1);
        var a = (LinearBandit)family.SampleBandit(random);
        var b = (LinearBandit)family.SampleBandit(random);
        Assert.Equal(a.Features, b.Features);
        Assert.NotEqual(a.Theta, b.Theta);
        Assert.Equal(10, a.Arms);
        Assert.Equal(5, a.Dimension);
    }

    [Fact]
    public void RandomDrawsHaveTheirDistributionsMoments()
    {
        var random = new Random(5);
        Assert.Equal(2.0 / 7.0, Enumerable.Range(0, 20000).Average(_ => random.NextBeta(2, 5)), 2);
        Assert.Equal(0.5, Enumerable.Range(0, 20000).Average(_ => random.NextGamma(0.5)), 1);
        var simplex = random.NextUniformSimplex(5);
        Assert.Equal(1.0, simplex.Sum(), 12);
        Assert.All(simplex, p => Assert.InRange(p, 0, 1));
        var counts = new int[3];
        for (int i = 0; i < 30000; i++) counts[random.NextCategorical([0.2, 0.5, 0.3])]++;
        Assert.Equal(0.5, counts[1] / 30000.0, 1);
    }
}
