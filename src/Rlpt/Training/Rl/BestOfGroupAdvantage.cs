using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// Expert Iteration's selection (best-of-G rejection sampling, as in arXiv 2504.07912's EI): A = 1 for the best completion
/// of a group (the first of equals) and 0 for the rest. A constant group says nothing about which answer is better and
/// gets 0 throughout. With the <c>sft</c> policy loss this is SFT on each group's best answer.
/// </summary>
public sealed class BestOfGroupAdvantage : IAdvantageEstimator
{
    public string Name => "best_of_g";

    public Tensor Compute(Tensor rewards)
    {
        GroupRewards.Validate(rewards);
        using var scope = NewDisposeScope();
        var best = nn.functional.one_hot(rewards.argmax(1), rewards.shape[1]).to(rewards.dtype);
        return where(GroupRewards.ConstantGroups(rewards), zeros_like(best), best).MoveToOuterDisposeScope();
    }
}
