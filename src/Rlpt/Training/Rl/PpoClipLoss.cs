using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// GRPO/DAPO clipped surrogate per token: −min(ρ·A, clip(ρ, 1 − ε_low, 1 + ε_high)·A) with ρ = exp(log π − log π_old),
/// plus β·k3 KL to the reference policy when β &gt; 0. Masked-out tokens get ρ = 1 and KL 0 so padding garbage
/// cannot overflow exp into inf·0 = NaN; they still need the mask in <see cref="LossAggregation"/>.
/// </summary>
public sealed class PpoClipLoss : IPolicyLoss
{
    public string Name => "ppo_clip";

    public PolicyLossOutput Compute(PolicyLossInput input, GrpoConfig config)
    {
        if (config.Beta > 0 && input.ReferenceLogProbs is null)
            throw new ArgumentException($"beta = {config.Beta} needs reference log-probs; pass them or set beta to 0.", nameof(input));
        using var scope = NewDisposeScope();
        var valid = input.Mask > 0;
        var logRatio = where(valid, input.LogProbs - input.OldLogProbs, zeros_like(input.LogProbs));
        var ratio = logRatio.exp();
        var advantages = input.Advantages.unsqueeze(1);
        double low = 1 - config.Epsilon, high = 1 + config.ResolvedEpsilonHigh;
        var surrogate = minimum(ratio * advantages, ratio.clamp(low, high) * advantages);
        var tokenLoss = -surrogate;
        if (config.Beta > 0)
        {
            var reference = where(valid, input.ReferenceLogProbs!, input.LogProbs);
            tokenLoss = tokenLoss + config.Beta * KlEstimators.K3(input.LogProbs, reference);
        }
        // The clip is active (gradient zero) only where it lowers the objective: A < 0 below, A > 0 above the range.
        var clippedLow = (advantages < 0).logical_and(ratio < low).to_type(input.Mask.dtype);
        var clippedHigh = (advantages > 0).logical_and(ratio > high).to_type(input.Mask.dtype);
        return new PolicyLossOutput(
            tokenLoss.MoveToOuterDisposeScope(),
            clippedLow.MoveToOuterDisposeScope(),
            clippedHigh.MoveToOuterDisposeScope());
    }
}
