using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// Behaviour cloning of the selected completions: −A·log π per token, without ratio or clipping, so every epoch (μ) is a
/// plain SFT pass on them. Completions with A = 0 are left out of the loss and of its divisor (<see cref="IPolicyLoss.OnlyAdvantaged"/>),
/// so token-mean aggregation is SFT's mean over the selected tokens. With the best_of_g estimator this is Expert Iteration.
/// </summary>
public sealed class SftLoss : IPolicyLoss
{
    public string Name => "sft";

    public bool OnlyAdvantaged => true;

    public PolicyLossOutput Compute(PolicyLossInput input)
    {
        using var scope = NewDisposeScope();
        var tokenLoss = -input.Advantages * where(input.Mask > 0, input.LogProbs, zeros_like(input.LogProbs));
        var none = zeros_like(input.Mask);
        return new PolicyLossOutput(tokenLoss.MoveToOuterDisposeScope(), none.MoveToOuterDisposeScope(), none.alias().MoveToOuterDisposeScope());
    }
}
