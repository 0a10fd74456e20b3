using Rlpt.Training.Runs;

namespace Rlpt.Training.Rl;

/// <summary>The live line an RL progress bar shows: reward, its spread, the share of constant groups and the completion length.</summary>
public static class RlProgress
{
    public static string Describe(StepReport step) =>
        $"reward {step["reward"]:F3} ±{step["reward_std"]:F2} zero-std {step[RlMetrics.FracRewardZeroStd]:P0} len {step["completions/mean_length"]:F0}";
}
