using static TorchSharp.torch;

namespace Rlpt.Training.Rl.Critic;

/// <summary>
/// PPO's clipped value loss per token: ½·max((V − R)², (V_old + clip(V − V_old, −ε_v, ε_v) − R)²), so one update cannot
/// move a value far from the one the advantages were computed with. Also the share of tokens where the clipped term is
/// the larger (verl's critic/vf_clipfrac).
/// </summary>
public static class ValueLoss
{
    public static (Tensor TokenLoss, Tensor Clipped) Compute(Tensor values, Tensor oldValues, Tensor returns, double clipRange)
    {
        using var scope = NewDisposeScope();
        var unclipped = (values - returns).pow(2);
        var clippedValues = oldValues + (values - oldValues).clamp(-clipRange, clipRange);
        var clipped = (clippedValues - returns).pow(2);
        return ((0.5 * maximum(unclipped, clipped)).MoveToOuterDisposeScope(), clipped.gt(unclipped).to(values.dtype).MoveToOuterDisposeScope());
    }
}
