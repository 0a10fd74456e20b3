using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// Truncated importance sampling for rollouts sampled by another copy of the policy (an inference engine): its
/// log-probs are the behaviour policy μ's, which differ from the trainer's π_old by numerics (kernels, batch layout) or
/// by weights a step or more old. The trainer recomputes π_old itself, the ratio is taken against that, and each token's
/// loss is weighted by w = min(π_old / μ, cap), detached: TRL's vLLM importance-sampling correction (token level, cap 3).
/// </summary>
public static class ImportanceSampling
{
    /// <summary>w = min(exp(old − behaviour), cap) per token [rows, tokens]; 1 at masked tokens.</summary>
    public static Tensor Weights(Tensor trainerOldLogProbs, Tensor behaviourLogProbs, Tensor mask, double cap)
    {
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        var weights = (trainerOldLogProbs - behaviourLogProbs).exp().clamp_max(cap);
        return where(mask > 0, weights, ones_like(weights)).MoveToOuterDisposeScope();
    }

    /// <summary>Sums over the masked tokens of one micro-batch, for <see cref="Metrics"/>.</summary>
    public sealed class Accumulator
    {
        private double tokens, absoluteDifference, maxDifference, ratioSum, capped;
        private double minRatio = double.PositiveInfinity, maxRatio = double.NegativeInfinity;

        public void Add(Tensor trainerOldLogProbs, Tensor behaviourLogProbs, Tensor mask, double cap)
        {
            using var scope = NewDisposeScope();
            using var guard = no_grad();
            var real = mask > 0;
            double count = real.sum().item<long>();
            if (count == 0) return;
            var difference = (trainerOldLogProbs - behaviourLogProbs).masked_select(real);
            var ratio = difference.exp();
            tokens += count;
            absoluteDifference += difference.abs().sum().item<float>();
            maxDifference = Math.Max(maxDifference, difference.abs().max().item<float>());
            ratioSum += ratio.clamp_max(cap).sum().item<float>();
            capped += ratio.gt(cap).sum().item<long>();
            minRatio = Math.Min(minRatio, ratio.min().item<float>());
            maxRatio = Math.Max(maxRatio, ratio.max().item<float>());
        }

        /// <summary>TRL's sampling/* names: |Δ log-prob| between trainer and engine, the (truncated) ratios, and the share capped.</summary>
        public IReadOnlyDictionary<string, double> Metrics() => tokens == 0 ? new Dictionary<string, double>() : new Dictionary<string, double>
        {
            ["sampling/sampling_logp_difference/mean"] = absoluteDifference / tokens,
            ["sampling/sampling_logp_difference/max"] = maxDifference,
            ["sampling/importance_sampling_ratio/min"] = minRatio,
            ["sampling/importance_sampling_ratio/mean"] = ratioSum / tokens,
            ["sampling/importance_sampling_ratio/max"] = maxRatio,
            ["sampling/importance_sampling_ratio/capped_frac"] = capped / tokens,
        };
    }
}
