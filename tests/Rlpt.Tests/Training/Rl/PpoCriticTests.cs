using Rlpt.Training.Rl;
using Rlpt.Training.Rl.Critic;
using static Rlpt.Tests.Training.Rl.RlTensors;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

public sealed class PpoCriticTests
{
    /// <summary>
    /// V = [0.5, 0.2, 0.1], r = 1 at the last token, γ = 1, λ = 0.9: δ = [−0.3, −0.1, 0.9], A₂ = 0.9, A₁ = −0.1 + 0.9·0.9 = 0.71,
    /// A₀ = −0.3 + 0.9·0.71 = 0.339; R = A + V. With γ = 0.5, λ = 1: δ = [0.5·0.2 − 0.5, 0.5·0.1 − 0.2, 0.9], A = [−0.25, 0.3, 0.9].
    /// </summary>
    [Fact]
    public void GaeMatchesAHandComputation()
    {
        var (advantages, returns) = Gae.Compute([0.5f, 0.2f, 0.1f], 1.0, gamma: 1, lambda: 0.9);
        Assert.Equal([0.339, 0.71, 0.9], advantages.Select(a => Math.Round(a, 6)));
        Assert.Equal([0.839, 0.91, 1.0], returns.Select(r => Math.Round(r, 6)));
        var (discounted, _) = Gae.Compute([0.5f, 0.2f, 0.1f], 1.0, gamma: 0.5, lambda: 1);
        Assert.Equal([-0.25, 0.3, 0.9], discounted.Select(a => Math.Round(a, 6)));
        // λ = γ = 1 is Monte Carlo: A_t = R − V_t and every return is the reward.
        var (monteCarlo, mcReturns) = Gae.Compute([0.5f, 0.2f, 0.1f], 2.0, gamma: 1, lambda: 1);
        Assert.Equal([1.5, 1.8, 1.9], monteCarlo.Select(a => Math.Round(a, 6)));
        Assert.All(mcReturns, r => Assert.Equal(2.0, r, 6));
        Assert.Empty(Gae.Compute([], 1.0, 1, 1).Advantages);
    }

    [Fact]
    public void WhiteningGivesZeroMeanAndUnitUnbiasedVarianceOverAllTokens()
    {
        var whitened = Gae.Whiten([[1f, 2f], [3f], [6f]]);
        var all = whitened.SelectMany(a => a).ToArray();
        Assert.Equal([2, 1, 1], whitened.Select(a => a.Length));
        Assert.Equal(0, all.Average(), 6);
        Assert.Equal(1, all.Sum(a => a * a) / (all.Length - 1), 4);
        Assert.True(whitened[0][0] < whitened[0][1] && whitened[0][1] < whitened[1][0], "order is kept");
    }

    /// <summary>
    /// V = 1, V_old = 0.5, R = 2, ε = 0.2: unclipped (1 − 2)² = 1, clipped (0.7 − 2)² = 1.69, loss ½·1.69, clipped.
    /// V = 0.6, V_old = 0.5, R = 0.55: inside the range, both 0.0025, loss 0.00125, not clipped.
    /// </summary>
    [Fact]
    public void TheClippedValueLossMatchesAHandComputation()
    {
        using var scope = NewDisposeScope();
        var (loss, clipped) = ValueLoss.Compute(tensor(new[] { 1.0, 0.6 }), tensor(new[] { 0.5, 0.5 }), tensor(new[] { 2.0, 0.55 }), 0.2);
        AssertClose([0.845, 0.00125], loss, 1e-9);
        AssertClose([1, 0], clipped, 1e-12);
    }

    [Fact]
    public void GaeNeedsValidCriticOptions()
    {
        new GrpoConfig { AdvantageEstimator = "gae" }.Validate();
        Assert.Throws<ArgumentException>(() => new GrpoConfig { AdvantageEstimator = "gae", Lambda = 1.5 }.Validate());
        Assert.Throws<ArgumentException>(() => new GrpoConfig { AdvantageEstimator = "gae", ValueCoefficient = 0 }.Validate());
        Assert.Contains("gae", AdvantageEstimators.Names);
    }

    /// <summary>PPO (GAE from a value head) teaches the tiny model the rewarded pattern, and its critic learns the returns.</summary>
    [Fact]
    public void PpoTeachesATinyModelTheRewardedPatternAndItsCriticLearns()
    {
        var (metrics, _) = GrpoLearningTests.LearnDigits(GrpoLearningTests.DigitTask with { AdvantageEstimator = "gae", NumIterations = 2, ValueCoefficient = 0.5 },
            algorithm => Assert.Contains("value_head", algorithm.Modules.Keys));
        string Trace(string key) => string.Join(" ", metrics.Select(m => m[key].GetDouble().ToString("F2")));
        Assert.Equal(0, metrics[0]["critic/values/mean"].GetDouble(), 6); // the head starts at zero
        Assert.True(metrics.TakeLast(5).Average(m => m["critic/values/mean"].GetDouble()) > 0.5, $"the values should follow the returns: {Trace("critic/values/mean")}");
        foreach (var key in new[] { "critic/vf_loss", "critic/vf_clipfrac", "critic/returns/mean", "critic/advantages/mean", "critic/vf_explained_var" })
            Assert.True(metrics[0].ContainsKey(key), $"metrics lack {key}");
    }
}
