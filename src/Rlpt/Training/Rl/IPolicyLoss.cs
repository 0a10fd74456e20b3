using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// Per-token inputs of a policy-gradient loss; all [batch, completion_tokens] except advantages [batch]. Mask is float
/// 0/1; OldLogProbs are the rollout's (detached); ReferenceLogProbs are needed only when β &gt; 0.
/// </summary>
public sealed record PolicyLossInput(
    Tensor LogProbs,
    Tensor OldLogProbs,
    Tensor Advantages,
    Tensor Mask,
    Tensor? ReferenceLogProbs);

/// <summary>
/// Per-token loss [batch, tokens], unmasked, plus 0/1 masks [batch, tokens] of tokens where the lower or upper clip
/// was active (for the clip_ratio metrics in <see cref="RlMetrics"/>).
/// </summary>
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
