using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>Per-token inputs of a policy-gradient loss; all [batch, completion_tokens] except advantages [batch].</summary>
public sealed record PolicyLossInput(
    Tensor LogProbs,
    Tensor OldLogProbs,
    Tensor Advantages,
    Tensor Mask,
    Tensor? ReferenceLogProbs);

/// <summary>Per-token loss [batch, tokens] plus the share of tokens whose ratio was clipped (for clip_ratio metrics).</summary>
public sealed record PolicyLossOutput(Tensor TokenLoss, Tensor ClippedLow, Tensor ClippedHigh);

/// <summary>
/// A policy loss computed per token; aggregation over tokens and sequences is separate
/// (<see cref="LossAggregation"/>). Registered by name in <see cref="PolicyLosses"/>.
/// </summary>
public interface IPolicyLoss
{
    string Name { get; }
    PolicyLossOutput Compute(PolicyLossInput input, GrpoConfig config);
}
