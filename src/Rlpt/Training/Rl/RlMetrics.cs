using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>Logged RL diagnostics, named as TRL logs them.</summary>
public static class RlMetrics
{
    public const string ClipRatioLowMean = "clip_ratio/low_mean";
    public const string ClipRatioHighMean = "clip_ratio/high_mean";
    public const string ClipRatioRegionMean = "clip_ratio/region_mean";
    public const string Entropy = "entropy";
    public const string FracRewardZeroStd = "frac_reward_zero_std";

    /// <summary>Share of valid tokens clipped below, above, and either (the two are disjoint, so region = low + high).</summary>
    public static IReadOnlyDictionary<string, double> ClipRatios(PolicyLossOutput output, Tensor mask)
    {
        using var scope = NewDisposeScope();
        double low = MaskedMean(output.ClippedLow, mask), high = MaskedMean(output.ClippedHigh, mask);
        double region = MaskedMean(output.ClippedLow.logical_or(output.ClippedHigh).to_type(mask.dtype), mask);
        return new Dictionary<string, double>
        {
            [ClipRatioLowMean] = low,
            [ClipRatioHighMean] = high,
            [ClipRatioRegionMean] = region,
        };
    }

    /// <summary>
    /// Mean over valid tokens of the policy entropy −Σ p log p from logits [batch, tokens, vocab] (already divided by
    /// the sampling temperature); log_softmax keeps it finite where softmax underflows to 0.
    /// </summary>
    public static double TokenEntropy(Tensor logits, Tensor mask)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logProbs = logits.log_softmax(-1);
        var entropy = -(logProbs.exp() * logProbs).sum(-1);
        return MaskedMean(entropy, mask);
    }

    /// <summary>Share of groups in rewards [groups, G] whose rewards are all equal, so their advantages are 0.</summary>
    public static double FracZeroStd(Tensor rewards)
    {
        GroupRewards.Validate(rewards);
        using var scope = NewDisposeScope();
        return GroupRewards.ConstantGroups(rewards).to_type(ScalarType.Float64).mean().item<double>();
    }

    private static double MaskedMean(Tensor values, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var valid = mask > 0;
        var total = where(valid, values, zeros_like(values)).to_type(ScalarType.Float64).sum();
        return (total / valid.sum().to_type(ScalarType.Float64).clamp_min(1)).item<double>();
    }
}
