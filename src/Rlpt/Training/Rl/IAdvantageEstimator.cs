using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// Turns rewards [groups, group_size] (G completions per prompt) into per-completion advantages of the same shape.
/// Registered by name in <see cref="AdvantageEstimators"/>; a new estimator is a class plus one registration line.
/// </summary>
public interface IAdvantageEstimator
{
    string Name { get; }
    Tensor Compute(Tensor rewards);
}
