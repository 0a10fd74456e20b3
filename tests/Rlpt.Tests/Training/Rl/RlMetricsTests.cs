using Rlpt.Training.Rl;
using static Rlpt.Tests.Training.Rl.RlTensors;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

public sealed class RlMetricsTests
{
    [Fact]
    public void ClipRatiosAreMeansOverValidTokens()
    {
        using var scope = NewDisposeScope();
        var mask = Matrix(new double[,] { { 1, 1, 1, 0 }, { 1, 0, 0, 0 } });
        // Valid tokens: 4; low-clipped valid: 1, high-clipped valid: 2 (the clipped padding token is ignored).
        var low = Matrix(new double[,] { { 1, 0, 0, 1 }, { 0, 0, 0, 0 } });
        var high = Matrix(new double[,] { { 0, 1, 0, 0 }, { 1, 0, 0, 1 } });
        var ratios = RlMetrics.ClipRatios(new PolicyLossOutput(zeros_like(mask), low, high), mask);
        Assert.Equal(0.25, ratios["clip_ratio/low_mean"], 12);
        Assert.Equal(0.5, ratios["clip_ratio/high_mean"], 12);
        Assert.Equal(0.75, ratios["clip_ratio/region_mean"], 12);
    }

    [Fact]
    public void EntropyOfUniformLogitsIsLogVocabularySize()
    {
        using var scope = NewDisposeScope();
        // Logits shifted per token leave softmax uniform; a huge masked token must not leak in.
        var logits = full(2, 3, 50, 7f);
        logits[1, 2] = tensor(new float[50]).index_fill_(0, tensor(new long[] { 0 }), 1e4f);
        var mask = tensor(new float[] { 1, 1, 1, 1, 1, 0 }, [2, 3]);
        Assert.Equal(Math.Log(50), RlMetrics.TokenEntropy(logits, mask), 5);
    }

    [Fact]
    public void FracZeroStdCountsConstantGroups()
    {
        using var scope = NewDisposeScope();
        var rewards = Matrix(new double[,] { { 1, 1, 1 }, { 0, 1, 0 }, { 0, 0, 0 }, { 0.5, 0.5, 0.4 } });
        Assert.Equal(0.5, RlMetrics.FracZeroStd(rewards), 12);
    }
}
