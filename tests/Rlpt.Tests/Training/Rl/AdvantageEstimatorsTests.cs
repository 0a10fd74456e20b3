using Rlpt.Training.Rl;
using static Rlpt.Tests.Training.Rl.RlTensors;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

public sealed class AdvantageEstimatorsTests
{
    // Group 0: mean 0.5, deviations [1.5, −0.5, −0.5, −0.5], Σd² = 3, unbiased std √(3/3) = 1 (biased would be 0.866).
    // Group 1: mean 0.25, deviations [−0.25, −0.25, −0.25, 0.75], Σd² = 0.75, unbiased std √(0.75/3) = 0.5.
    private static readonly double[,] Rewards = { { 2, 0, 0, 0 }, { 0, 0, 0, 1 } };

    [Fact]
    public void GrpoDividesByUnbiasedStdPlusEpsilon()
    {
        using var scope = NewDisposeScope();
        var advantages = AdvantageEstimators.Get("grpo").Compute(Matrix(Rewards));
        AssertClose([1.5 / 1.0001, -0.5 / 1.0001, -0.5 / 1.0001, -0.5 / 1.0001,
                     -0.25 / 0.5001, -0.25 / 0.5001, -0.25 / 0.5001, 0.75 / 0.5001], advantages, 1e-9);
        Assert.Equal([2L, 4L], advantages.shape);
    }

    [Fact]
    public void DrGrpoOnlySubtractsTheGroupMean()
    {
        using var scope = NewDisposeScope();
        AssertClose([1.5, -0.5, -0.5, -0.5, -0.25, -0.25, -0.25, 0.75],
            AdvantageEstimators.Get("dr_grpo").Compute(Matrix(Rewards)), 1e-12);
    }

    [Fact]
    public void RlooSubtractsTheMeanOfTheOtherCompletions()
    {
        using var scope = NewDisposeScope();
        // e.g. r = 0 in group 0: others (2 + 0 + 0)/3 → −2/3; r = 1 in group 1: others all 0 → 1.
        AssertClose([2, -2.0 / 3, -2.0 / 3, -2.0 / 3, -1.0 / 3, -1.0 / 3, -1.0 / 3, 1],
            AdvantageEstimators.Get("rloo").Compute(Matrix(Rewards)), 1e-12);
    }

    [Theory]
    [InlineData("grpo")]
    [InlineData("dr_grpo")]
    [InlineData("rloo")]
    public void ZeroVarianceGroupsAndSingletonGroupsGiveExactZeros(string name)
    {
        using var scope = NewDisposeScope();
        var estimator = AdvantageEstimators.Get(name);
        // 0.1 is inexact in binary, so a computed mean can miss it by an ulp; the result must still be exactly 0.
        var constant = estimator.Compute(tensor(new float[] { 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f }, [2, 7]));
        Assert.All(constant.data<float>().ToArray(), a => Assert.Equal(0f, a));
        var singletons = estimator.Compute(tensor(new float[] { 1f, 0f, 3f }, [3, 1]));
        Assert.All(singletons.data<float>().ToArray(), a => Assert.Equal(0f, a));
    }

    [Fact]
    public void RegistryRejectsUnknownNamesListingKnownOnes()
    {
        Assert.Equal(["best_of_g", "dr_grpo", "gae", "grpo", "rloo"], AdvantageEstimators.Names.Order());
        var error = Assert.Throws<ArgumentException>(() => AdvantageEstimators.Get("vtrace"));
        Assert.Contains("'vtrace'", error.Message);
        Assert.All(AdvantageEstimators.Names, name => Assert.Contains(name, error.Message));
    }

    [Fact]
    public void RejectsRewardsThatAreNotGrouped()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => AdvantageEstimators.Get("grpo").Compute(zeros(8)));
    }
}
