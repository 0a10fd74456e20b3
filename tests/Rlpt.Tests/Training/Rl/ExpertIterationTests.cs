using Rlpt.Training.Rl;
using static Rlpt.Tests.Training.Rl.RlTensors;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

public sealed class ExpertIterationTests
{
    [Fact]
    public void BestOfGMarksEachGroupsFirstBestAndNothingInAConstantGroup()
    {
        using var scope = NewDisposeScope();
        var rewards = Matrix(new double[,] { { 0.1, 0.7, 0.7, 0.2 }, { 1, 1, 1, 1 }, { -2, -3, -1, -5 } });
        AssertClose([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0], AdvantageEstimators.Get("best_of_g").Compute(rewards), 1e-12);
    }

    /// <summary>−A·log π per token, masked tokens contributing nothing even when their log-prob is garbage.</summary>
    [Fact]
    public void TheSftLossIsMinusAdvantageTimesLogProbWithoutARatio()
    {
        using var scope = NewDisposeScope();
        var loss = PolicyLosses.Create("sft", new GrpoConfig());
        Assert.True(loss.OnlyAdvantaged);
        var logProbs = tensor(new[] { -0.5f, -2f, float.NegativeInfinity, -1f }, [2, 2]);
        var output = loss.Compute(new PolicyLossInput(logProbs, tensor(new[] { -9f, -9f, -9f, -9f }, [2, 2]), tensor(new[] { 1f, 1f, 0f, 0f }, [2, 2]), tensor(new[] { 1f, 1f, 0f, 1f }, [2, 2])));
        AssertClose([0.5, 2, 0, 0], output.TokenLoss);
        AssertClose(0, output.ClippedLow.sum());
        Assert.False(PolicyLosses.Create("ppo_clip", new GrpoConfig()).OnlyAdvantaged);
    }

    /// <summary>Expert Iteration (best of G, SFT on it) teaches the tiny model the rewarded pattern, as GRPO does.</summary>
    [Fact]
    public void ExpertIterationTeachesATinyModelTheRewardedPattern()
    {
        var (metrics, _) = GrpoLearningTests.LearnDigits(GrpoLearningTests.DigitTask with { AdvantageEstimator = "best_of_g", PolicyLoss = "sft", NumIterations = 2 });
        Assert.All(metrics, m => Assert.Equal(0, m["clip_ratio/region_mean"].GetDouble()));
    }
}
