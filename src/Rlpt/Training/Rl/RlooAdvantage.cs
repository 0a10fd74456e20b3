using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// REINFORCE leave-one-out: A_i = r_i − mean_{j≠i} r_j = G/(G − 1)·(r_i − mean_group), so a completion's own
/// reward never enters its baseline. A group of one has no baseline and gets 0.
/// </summary>
public sealed class RlooAdvantage : IAdvantageEstimator
{
    public string Name => "rloo";

    public Tensor Compute(Tensor rewards)
    {
        GroupRewards.Validate(rewards);
        long groupSize = rewards.shape[1];
        using var scope = NewDisposeScope();
        var centered = GroupRewards.Centered(rewards);
        return (groupSize < 2 ? zeros_like(centered) : centered * (groupSize / (double)(groupSize - 1))).MoveToOuterDisposeScope();
    }
}
