using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>Token-weighted means over a step's micro-batches: entropy, clip ratios, KL; and the step's gradient norm.</summary>
/// <summary>Loss is the aggregated policy loss, averaged over the μ iterations.</summary>
internal sealed record UpdateMetrics(double Entropy, double ClipLow, double ClipHigh, double Kl, double GradNorm, double Loss)
{
    /// <summary>A stage's own figures (the critic's), written next to the others.</summary>
    public IReadOnlyDictionary<string, double>? Extra { get; init; }

    public static UpdateMetrics Empty { get; } = new(double.NaN, 0, 0, 0, 0, 0);
}

internal sealed class UpdateAccumulator
{
    private double tokens, entropy, clipLow, clipHigh, kl, lossSum;
    private int iterations;

    public double GradNorm { get; set; }

    public void Add(Tensor mask, double meanEntropy, PolicyLossOutput output, Tensor? tokenKl)
    {
        double count = mask.sum().item<float>();
        if (count == 0) return;
        tokens += count;
        entropy += meanEntropy * count;
        var clipped = RlMetrics.ClipRatios(output, mask);
        clipLow += clipped[RlMetrics.ClipRatioLowMean] * count;
        clipHigh += clipped[RlMetrics.ClipRatioHighMean] * count;
        if (tokenKl is not null) kl += (tokenKl * mask).sum().item<float>();
    }

    public void AddLoss(double iterationLoss)
    {
        lossSum += iterationLoss;
        iterations++;
    }

    public UpdateMetrics Result()
    {
        double loss = iterations == 0 ? 0 : lossSum / iterations;
        return tokens == 0
            ? UpdateMetrics.Empty with { GradNorm = GradNorm, Loss = loss }
            : new UpdateMetrics(entropy / tokens, clipLow / tokens, clipHigh / tokens, kl / tokens, GradNorm, loss);
    }
}
