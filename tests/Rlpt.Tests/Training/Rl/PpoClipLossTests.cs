using Rlpt.Training.Rl;
using static Rlpt.Tests.Training.Rl.RlTensors;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

public sealed class PpoClipLossTests
{
    // ε_low 0.2, ε_high 0.28: ratios are clipped to [0.8, 1.28].
    private static readonly IPolicyLoss Loss = PolicyLosses.Create("ppo_clip", new GrpoConfig { Epsilon = 0.2, EpsilonHigh = 0.28 });
    private static readonly double[] Ratios = [0.5, 0.79, 1.0, 1.25, 1.3];

    private static (Tensor LogProbs, PolicyLossInput Input) Input(double advantage)
    {
        var old = full(1, Ratios.Length, -2.0, ScalarType.Float64);
        var logProbs = (old + tensor(Ratios.Select(r => Math.Log(r)).ToArray(), ScalarType.Float64).unsqueeze(0)).detach().requires_grad_();
        return (logProbs, new PolicyLossInput(logProbs, old, full(1, Ratios.Length, advantage, ScalarType.Float64),
            ones(1, Ratios.Length, ScalarType.Float64)));
    }

    [Fact]
    public void PositiveAdvantageIsClippedOnlyAboveOnePlusEpsilonHigh()
    {
        using var scope = NewDisposeScope();
        var output = Loss.Compute(Input(2.0).Input);
        // −min(ρA, clip(ρ)A) with A = 2: 1.25 is inside the clip-higher range, 1.3 is capped at 1.28.
        AssertClose([-1.0, -1.58, -2.0, -2.5, -2.56], output.TokenLoss, 1e-9);
        AssertClose([0, 0, 0, 0, 0], output.ClippedLow);
        AssertClose([0, 0, 0, 0, 1], output.ClippedHigh);
    }

    [Fact]
    public void NegativeAdvantageIsClippedOnlyBelowOneMinusEpsilonLow()
    {
        using var scope = NewDisposeScope();
        var output = Loss.Compute(Input(-1.0).Input);
        // A = −1: 0.5 and 0.79 are raised to 0.8 (min picks the clipped value); 1.3 stays unclipped (pessimistic side).
        AssertClose([0.8, 0.8, 1.0, 1.25, 1.3], output.TokenLoss, 1e-9);
        AssertClose([1, 1, 0, 0, 0], output.ClippedLow);
        AssertClose([0, 0, 0, 0, 0], output.ClippedHigh);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(-1.0)]
    public void GradientIsZeroOnClippedTokensAndMinusAdvantageTimesRatioElsewhere(double advantage)
    {
        using var scope = NewDisposeScope();
        var (logProbs, input) = Input(advantage);
        var output = Loss.Compute(input);
        output.TokenLoss.sum().backward();
        // d(−ρA)/d log π = −Aρ, since dρ/d log π = ρ.
        double[] expected = advantage > 0
            ? [-2 * 0.5, -2 * 0.79, -2 * 1.0, -2 * 1.25, 0]
            : [0, 0, 1.0, 1.25, 1.3];
        AssertClose(expected, logProbs.grad!, 1e-9);
    }

    [Theory]
    [InlineData("k1", 0.5)]
    [InlineData("k2", 0.125)]
    [InlineData("k3", 0.1065306597)]
    public void KlEstimatorsByNameMatchTheirFormulas(string name, double expected)
    {
        using var scope = NewDisposeScope();
        // log π − log π_ref = 0.5: k1 = 0.5, k2 = ½·0.25, k3 = e^(−0.5) + 0.5 − 1.
        var logProbs = tensor(new[] { -1.0 }, ScalarType.Float64);
        AssertClose([expected], KlEstimators.Get(name)(logProbs, logProbs - 0.5), 1e-9);
        Assert.Throws<ArgumentException>(() => KlEstimators.Get("k4"));
    }

    [Fact]
    public void MaskedTokensCannotOverflowTheRatio()
    {
        using var scope = NewDisposeScope();
        // Padding with log π − log π_old = 200 would give exp(200) = inf in float32 and inf · 0 = NaN downstream.
        var input = new PolicyLossInput(tensor(new[] { 0f, 0f }, [1, 2]), tensor(new[] { 0f, -200f }, [1, 2]),
            tensor(new[] { 1f, 1f }, [1, 2]), tensor(new[] { 1f, 0f }, [1, 2]));
        var output = Loss.Compute(input);
        Assert.All(output.TokenLoss.data<float>().ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void RegistryRejectsUnknownNames()
    {
        Assert.Equal(["ppo_clip", "sft"], PolicyLosses.Names.Order());
        var error = Assert.Throws<ArgumentException>(() => PolicyLosses.Create("cispo", new GrpoConfig()));
        Assert.Contains("ppo_clip", error.Message);
    }
}
