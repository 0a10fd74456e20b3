using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// GRPO's group z-score: A = (r − mean_group) / (std_group + 1e-4). Like TRL, std is the unbiased (Bessel, ÷ (G − 1))
/// standard deviation and 1e-4 is added, not maxed. Constant groups (including G = 1) give exactly 0.
/// </summary>
public sealed class GrpoAdvantage : IAdvantageEstimator
{
    /// <summary>Added to the std so near-constant groups do not explode.</summary>
    public const double StdEpsilon = 1e-4;

    public string Name => "grpo";

    public Tensor Compute(Tensor rewards)
    {
        GroupRewards.Validate(rewards);
        using var scope = NewDisposeScope();
        var centered = GroupRewards.Centered(rewards);
        // For G = 1 the unbiased std is NaN; the group is constant, so zero it like any zero-variance group.
        var std = rewards.std([1], unbiased: true, keepdim: true);
        var safeStd = where(GroupRewards.ConstantGroups(rewards), zeros_like(std), std);
        return (centered / (safeStd + StdEpsilon)).MoveToOuterDisposeScope();
    }
}
