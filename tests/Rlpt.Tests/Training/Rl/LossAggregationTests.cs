using Rlpt.Training.Rl;
using static Rlpt.Tests.Training.Rl.RlTensors;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

public sealed class LossAggregationTests
{
    // Valid tokens: row 0 → 1, 2; row 1 → 4. Masked values (3, 5, 6) must not matter.
    private static readonly double[,] Loss = { { 1, 2, 3 }, { 4, 5, 6 } };
    private static readonly double[,] Mask = { { 1, 1, 0 }, { 1, 0, 0 } };

    [Theory]
    [InlineData("token-mean", 7.0 / 3)]              // (1 + 2 + 4) / 3 tokens
    [InlineData("seq-mean-token-mean", 2.75)]        // ((1 + 2)/2 + 4/1) / 2 sequences
    [InlineData("seq-mean-token-sum-norm", 7.0 / 6)] // (1 + 2 + 4) / (2 sequences · 3 max tokens)
    public void ModesMatchHandComputedValues(string mode, double expected)
    {
        using var scope = NewDisposeScope();
        AssertClose(expected, LossAggregation.Aggregate(Matrix(Loss), Matrix(Mask), mode, maxCompletionLength: 3), 1e-12);
    }

    [Theory]
    [InlineData("token-mean", 7.0 / 3)]
    [InlineData("seq-mean-token-mean", 2.75)]        // the empty row is skipped, not averaged in as 0
    [InlineData("seq-mean-token-sum-norm", 7.0 / 9)] // constant normaliser still counts every row
    public void EmptyAndNaNMaskedTokensAreIgnored(string mode, double expected)
    {
        using var scope = NewDisposeScope();
        var loss = Matrix(new double[,] { { 1, 2, double.NaN }, { 4, double.PositiveInfinity, 6 }, { 100, 100, 100 } });
        var mask = Matrix(new double[,] { { 1, 1, 0 }, { 1, 0, 0 }, { 0, 0, 0 } });
        AssertClose(expected, LossAggregation.Aggregate(loss, mask, mode, maxCompletionLength: 3), 1e-12);
    }

    [Theory]
    [InlineData("token-mean")]
    [InlineData("seq-mean-token-mean")]
    [InlineData("seq-mean-token-sum-norm")]
    public void MicroBatchesWithTheGlobalDivisorSumToTheFullBatchLoss(string mode)
    {
        using var scope = NewDisposeScope();
        var loss = Matrix(new double[,] { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 }, { 10, 11, 12 } });
        var mask = Matrix(new double[,] { { 1, 1, 0 }, { 1, 0, 0 }, { 0, 0, 0 }, { 1, 1, 0 } });
        var full = LossAggregation.Aggregate(loss, mask, mode, 3);
        // Unequal micro-batches (1 and 3 rows), as the last micro-batch of a batch often is.
        var microBatches = new[] { (0, 1), (1, 3) };
        var tokenCount = mask.sum();
        int sequenceCount = microBatches.Sum(h => LossAggregation.CountSequences(mask.narrow(0, h.Item1, h.Item2), mode));
        var summed = microBatches.Select(h => LossAggregation.Aggregate(loss.narrow(0, h.Item1, h.Item2), mask.narrow(0, h.Item1, h.Item2),
            mode, 3, tokenCount, sequenceCount)).Aggregate((a, b) => a + b);
        AssertClose(full.item<double>(), summed, 1e-12);
        // Dividing each micro-batch by its own count and averaging is the easy mistake: it differs here.
        var averaged = microBatches.Select(h => LossAggregation.Aggregate(loss.narrow(0, h.Item1, h.Item2), mask.narrow(0, h.Item1, h.Item2),
            mode, 3)).Aggregate((a, b) => a + b) / 2;
        Assert.NotEqual(full.item<double>(), averaged.item<double>(), 6);
    }

    [Fact]
    public void UnknownModeNamesTheValidOnes()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => LossAggregation.Aggregate(Matrix(Loss), Matrix(Mask), "seq-sum", 3));
        Assert.All(LossAggregation.Modes, mode => Assert.Contains(mode, error.Message));
    }
}
