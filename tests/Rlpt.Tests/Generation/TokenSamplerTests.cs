using Rlpt.Generation;
using static TorchSharp.torch;

namespace Rlpt.Tests.Generation;

public sealed class TokenSamplerTests
{
    // Probabilities 0.5, 0.25, 0.125, 0.0625, 0.0625 for tokens 0..4 (log-space logits).
    private static Tensor Logits(int rows) =>
        tensor(Enumerable.Repeat(new[] { 0.5, 0.25, 0.125, 0.0625, 0.0625 }.Select(p => (float)Math.Log(p)), rows).SelectMany(x => x).ToArray(), [rows, 5]);

    [Fact]
    public void InverseCdfPicksTheTokenWhoseIntervalHoldsTheDraw()
    {
        using var scope = NewDisposeScope();
        var options = Enumerable.Repeat(new SamplingOptions(), 5).ToArray();
        var (tokens, logProbs) = TokenSampler.Sample(Logits(5), options, [0.1, 0.6, 0.8, 0.9, 0.99]);
        Assert.Equal([0L, 1L, 2L, 3L, 4L], tokens);
        Assert.Equal(Math.Log(0.25), logProbs[1], 5);
    }

    [Fact]
    public void TopKAndTopPRenormaliseOverTheKeptTokens()
    {
        using var scope = NewDisposeScope();
        // top-k 2 keeps {0: 2/3, 1: 1/3}; a draw of 0.7 lands in token 1. top-p 0.7 keeps tokens 0 and 1 too
        // (mass before token 1 is 0.5 < 0.7, before token 2 is 0.75 ≥ 0.7).
        var options = new[] { new SamplingOptions { TopK = 2 }, new SamplingOptions { TopP = 0.7 }, new SamplingOptions { TopP = 0.7 } };
        var (tokens, logProbs) = TokenSampler.Sample(Logits(3), options, [0.7, 0.7, 0.999]);
        Assert.Equal([1L, 1L, 1L], tokens);
        // Log-probs are those of the unfiltered (temperature-scaled) distribution, as RL trainers expect.
        Assert.Equal(Math.Log(0.25), logProbs[0], 5);
    }

    [Fact]
    public void ARowSamplesTheSameWhetherOrNotOtherRowsFilter()
    {
        using var scope = NewDisposeScope();
        // Token order 3, 0, 4, 1, 2 by probability, so vocabulary order and probability order differ.
        var logits = tensor(new[] { 0.25, 0.1, 0.05, 0.4, 0.2 }.Select(p => (float)Math.Log(p)).ToArray(), [1, 5]);
        double[] draws = [0.3, 0.5, 0.7, 0.95];
        foreach (var u in draws)
        {
            var (alone, _) = TokenSampler.Sample(logits, [new SamplingOptions()], [u]);
            var (mixed, _) = TokenSampler.Sample(logits.repeat(2, 1), [new SamplingOptions { TopK = 2 }, new SamplingOptions()], [u, u]);
            Assert.Equal(alone[0], mixed[1]);
            Assert.Contains(mixed[0], new long[] { 3, 0 });
        }
    }

    [Fact]
    public void TemperatureZeroIsArgmaxAndTemperatureScalesLogProbs()
    {
        using var scope = NewDisposeScope();
        var options = new[] { new SamplingOptions { Temperature = 0 }, new SamplingOptions { Temperature = 2 } };
        var (tokens, logProbs) = TokenSampler.Sample(Logits(2), options, [0.999, 0.0]);
        Assert.Equal(0L, tokens[0]);
        Assert.Equal(0L, tokens[1]);
        // At T = 2 the probabilities are ∝ sqrt(p): token 0 has sqrt(.5) / Σ sqrt(p).
        double z = new[] { 0.5, 0.25, 0.125, 0.0625, 0.0625 }.Sum(Math.Sqrt);
        Assert.Equal(Math.Log(Math.Sqrt(0.5) / z), logProbs[1], 5);
    }
}
