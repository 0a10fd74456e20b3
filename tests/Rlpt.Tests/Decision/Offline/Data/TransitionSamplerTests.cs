using Rlpt.Decision.Offline.Data;

namespace Rlpt.Tests.Decision.Offline.Data;

public sealed class TransitionSamplerTests
{
    [Fact]
    public void TheRowsOfAStepDependOnlyOnTheSeedAndTheStep()
    {
        var a = new TransitionSampler(1000, seed: 3);
        var b = new TransitionSampler(1000, seed: 3);
        Assert.Equal(a.Rows(17, 64), b.Rows(17, 64));
        Assert.NotEqual(a.Rows(17, 64), a.Rows(18, 64));
        Assert.NotEqual(a.Rows(17, 64), new TransitionSampler(1000, seed: 4).Rows(17, 64));
    }

    [Fact]
    public void WeightedRowsAreDrawnInProportionAndZeroWeightRowsNever()
    {
        var sampler = new TransitionSampler(4, seed: 0, weights: [1, 0, 3, 0]);
        var counts = new int[4];
        for (int step = 0; step < 200; step++)
            foreach (var row in sampler.Rows(step, 100)) counts[row]++;
        Assert.Equal(0, counts[1]);
        Assert.Equal(0, counts[3]);
        Assert.InRange(counts[2] / (double)(counts[0] + counts[2]), 0.73, 0.77);
    }

    [Fact]
    public void InvalidWeightsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new TransitionSampler(2, 0, [1, -1]));
        Assert.Throws<ArgumentException>(() => new TransitionSampler(2, 0, [0, 0]));
        Assert.Throws<ArgumentException>(() => new TransitionSampler(2, 0, [1]));
    }
}
