using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>Dr. GRPO: A = r − mean_group without the std division, which biases towards too easy or too hard prompts.</summary>
public sealed class DrGrpoAdvantage : IAdvantageEstimator
{
    public string Name => "dr_grpo";

    public Tensor Compute(Tensor rewards)
    {
        GroupRewards.Validate(rewards);
        return GroupRewards.Centered(rewards);
    }
}
