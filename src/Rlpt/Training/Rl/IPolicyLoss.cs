using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// Per-token inputs of a policy-gradient loss, all [batch, completion_tokens]: advantages are per token (a sequence-level
/// advantage is repeated over its tokens). Mask is float 0/1; OldLogProbs are the rollout's (detached).
/// </summary>
public sealed record PolicyLossInput(
    Tensor LogProbs,
    Tensor OldLogProbs,
    Tensor Advantages,
    Tensor Mask);

/// <summary>
/// Per-token loss [batch, tokens], unmasked, plus 0/1 masks [batch, tokens] of tokens where the lower or upper clip
/// was active (for the clip_ratio metrics in <see cref="RlMetrics"/>).
/// </summary>
public sealed record PolicyLossOutput(Tensor TokenLoss, Tensor ClippedLow, Tensor ClippedHigh);

/// <summary>
/// A policy loss computed per token; a KL penalty and the aggregation over tokens and sequences are separate stages
/// (<see cref="KlEstimators"/>, <see cref="LossAggregation"/>). Each loss takes its own options record; it is
/// registered by name in <see cref="PolicyLosses"/>.
/// </summary>
public interface IPolicyLoss
{
    string Name { get; }

    /// <summary>
    /// True for losses that train only on completions with a non-zero advantage (behaviour cloning of selected ones): the
    /// others are masked out, so they do not count in the aggregation's divisor either.
    /// </summary>
    bool OnlyAdvantaged => false;

    PolicyLossOutput Compute(PolicyLossInput input);
}
