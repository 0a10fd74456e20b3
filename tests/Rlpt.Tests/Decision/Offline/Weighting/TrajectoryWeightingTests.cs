using Rlpt.Decision.Offline.Weighting;

namespace Rlpt.Tests.Decision.Offline.Weighting;

public sealed class TrajectoryWeightingTests
{
    [Fact]
    public void ReturnWeightsAreTheSoftmaxOfMinMaxNormalisedReturnsAtTemperatureAlpha()
    {
        // Returns 0, 5 and 10 normalise to 0, 0.5 and 1: weights ∝ e^0, e^5, e^10 at α = 0.1.
        var data = OfflineTestData.FromEpisodes([(0f, 0f, 0f)], [(0f, 0f, 2f), (0f, 0f, 3f)], [(0f, 0f, 10f)]);
        var weights = TrajectoryWeighting.EpisodeWeights(data, "rw", 0.1);
        Assert.Equal(Math.Exp(-5), weights[1] / weights[2], 12);
        Assert.Equal(Math.Exp(-10), weights[0] / weights[2], 12);
        var perTransition = TrajectoryWeighting.TransitionWeights(data, "rw", 0.1);
        Assert.Equal([weights[0], weights[1], weights[1], weights[2]], perTransition);
    }

    [Fact]
    public void AdvantageWeightsRemoveWhatTheInitialStateExplains()
    {
        // Return = 2·s₀ + 1 exactly except the last episode, 3 above its baseline: only it stands out.
        var data = OfflineTestData.FromEpisodes([(0f, 0f, 1f)], [(1f, 0f, 3f)], [(2f, 0f, 5f)], [(3f, 0f, 7f)], [(4f, 0f, 9f)], [(1.5f, 0f, 7f)]);
        var advantages = TrajectoryWeighting.Advantages(data, data.EpisodeReturns());
        // Least squares spreads the outlier's residual: the five on-line episodes share one sign, the outlier is far above.
        Assert.True(advantages[5] > 2, $"outlier advantage {advantages[5]:F3}");
        Assert.All(advantages.Take(5), a => Assert.InRange(a, -1, 0));
        var weights = TrajectoryWeighting.EpisodeWeights(data, "aw", 0.1);
        Assert.Equal(1.0, weights[5], 12);
        Assert.All(weights.Take(5), w => Assert.True(w < 0.01));
    }

    [Fact]
    public void EquallyGoodTrajectoriesGetUniformWeights()
    {
        var data = OfflineTestData.FromEpisodes([(0f, 0f, 1f)], [(1f, 0f, 1f)]);
        Assert.Equal([1.0, 1.0], TrajectoryWeighting.EpisodeWeights(data, "rw", 0.1));
        Assert.Throws<ArgumentException>(() => TrajectoryWeighting.EpisodeWeights(data, "uniform", 0.1));
    }
}
