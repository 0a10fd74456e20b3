using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>Group statistics shared by the advantage estimators and the zero-std metric.</summary>
internal static class GroupRewards
{
    /// <summary>Checks rewards are [groups, group_size].</summary>
    public static void Validate(Tensor rewards)
    {
        if (rewards.dim() != 2)
            throw new ArgumentException($"Rewards must be [groups, group_size]; got shape [{string.Join(", ", rewards.shape)}].", nameof(rewards));
    }

    /// <summary>[groups, 1] true where every reward of the group is equal (max == min), so no learning signal.</summary>
    public static Tensor ConstantGroups(Tensor rewards) =>
        rewards.amax([1], keepdim: true).eq(rewards.amin([1], keepdim: true));

    /// <summary>
    /// r − mean_group, forced to exactly 0 on constant groups: the float mean of equal values can be off by an ulp,
    /// which the std division of GRPO would blow up into a spurious ±1.
    /// </summary>
    public static Tensor Centered(Tensor rewards)
    {
        using var scope = NewDisposeScope();
        var centered = rewards - rewards.mean([1], keepdim: true);
        return where(ConstantGroups(rewards), zeros_like(centered), centered).MoveToOuterDisposeScope();
    }
}
