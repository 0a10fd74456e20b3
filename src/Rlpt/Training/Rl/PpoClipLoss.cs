using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>The clip range of <see cref="PpoClipLoss"/>: ratios are kept in [1 − ε_low, 1 + ε_high] (clip-higher when ε_high &gt; ε_low, DAPO).</summary>
public sealed record PpoClipOptions(double EpsilonLow = 0.2, double EpsilonHigh = 0.28)
{
    public void Validate()
    {
        if (!(EpsilonLow > 0) || !(EpsilonHigh > 0)) throw new ArgumentException("epsilon and epsilon_high must be positive.");
    }
}

/// <summary>
/// GRPO/DAPO clipped surrogate per token: −min(ρ·A, clip(ρ, 1 − ε_low, 1 + ε_high)·A) with ρ = exp(log π − log π_old).
/// Masked-out tokens get ρ = 1 so padding garbage cannot overflow exp into inf·0 = NaN; they still need the mask in
/// <see cref="LossAggregation"/>.
/// </summary>
public sealed class PpoClipLoss(PpoClipOptions options) : IPolicyLoss
{
    public string Name => "ppo_clip";

    public PolicyLossOutput Compute(PolicyLossInput input)
    {
        using var scope = NewDisposeScope();
        var valid = input.Mask > 0;
        var logRatio = where(valid, input.LogProbs - input.OldLogProbs, zeros_like(input.LogProbs));
        var ratio = logRatio.exp();
        var advantages = input.Advantages;
        double low = 1 - options.EpsilonLow, high = 1 + options.EpsilonHigh;
        var surrogate = minimum(ratio * advantages, ratio.clamp(low, high) * advantages);
        var tokenLoss = -surrogate;
        // The clip is active (gradient zero) only where it lowers the objective: A < 0 below, A > 0 above the range.
        var clippedLow = (advantages < 0).logical_and(ratio < low).to_type(input.Mask.dtype);
        var clippedHigh = (advantages > 0).logical_and(ratio > high).to_type(input.Mask.dtype);
        return new PolicyLossOutput(
            tokenLoss.MoveToOuterDisposeScope(),
            clippedLow.MoveToOuterDisposeScope(),
            clippedHigh.MoveToOuterDisposeScope());
    }
}
