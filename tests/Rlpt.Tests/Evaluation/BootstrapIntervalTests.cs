using Rlpt.Evaluation;

namespace Rlpt.Tests.Evaluation;

public sealed class BootstrapIntervalTests
{
    private static double[] Sample(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.NextDouble() < 0.3 ? 1.0 : 0.0).ToArray();
    }

    [Fact]
    public void TheIntervalContainsTheMeanAndNarrowsWithMoreData()
    {
        var small = BootstrapInterval.Mean(Sample(40, 1));
        var large = BootstrapInterval.Mean(Sample(4000, 1));
        Assert.InRange(small.Mean, small.Low, small.High);
        Assert.InRange(large.Mean, large.Low, large.High);
        Assert.True(small.Low < small.Mean && small.Mean < small.High);
        Assert.True(large.High - large.Low < (small.High - small.Low) / 4, $"{large} is not much narrower than {small}");
        // The normal approximation for a Bernoulli(0.3) mean of 4000: half-width ≈ 1.96·sqrt(0.21/4000) ≈ 0.0142.
        Assert.InRange((large.High - large.Low) / 2, 0.011, 0.018);
    }

    [Fact]
    public void TheSameSeedGivesTheSameIntervalAndAnotherSeedADifferentOne()
    {
        var random = new Random(2);
        var values = Enumerable.Range(0, 50).Select(_ => random.NextDouble()).ToArray();
        Assert.Equal(BootstrapInterval.Mean(values, seed: 5), BootstrapInterval.Mean(values, seed: 5));
        Assert.NotEqual(BootstrapInterval.Mean(values, seed: 5), BootstrapInterval.Mean(values, seed: 6));
    }

    [Fact]
    public void EdgeCases()
    {
        var empty = BootstrapInterval.Mean([]);
        Assert.True(double.IsNaN(empty.Mean) && double.IsNaN(empty.Low) && double.IsNaN(empty.High));
        Assert.Equal((2.5, 2.5, 2.5), BootstrapInterval.Mean([2.5]));
        Assert.Equal((4.0, 4.0, 4.0), BootstrapInterval.Mean([4, 4, 4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => BootstrapInterval.Mean([1, 2], confidence: 1));
        Assert.Throws<ArgumentException>(() => BootstrapInterval.Difference([1, 2], [1]));
    }

    [Fact]
    public void PairedDifferenceCancelsSharedItemDifficulty()
    {
        // Item difficulty varies widely, but b is always a + 0.1: the paired interval is the single point 0.1,
        // while the two separate intervals overlap heavily.
        var a = Enumerable.Range(0, 30).Select(i => i / 30.0).ToArray();
        var b = a.Select(x => x + 0.1).ToArray();
        var difference = BootstrapInterval.Difference(b, a);
        Assert.Equal(0.1, difference.Mean, 9);
        Assert.Equal(0.1, difference.Low, 9);
        Assert.Equal(0.1, difference.High, 9);
        Assert.True(BootstrapInterval.Mean(b).Low < BootstrapInterval.Mean(a).High);
    }
}
