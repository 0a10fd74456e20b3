using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlpt.Training;

/// <summary>The global gradient norm, clipped when a limit is set: one rule for every trainer (max_grad_norm 0 = off).</summary>
public static class GradientClipping
{
    /// <returns>The norm before clipping (TRL's grad_norm).</returns>
    public static double ClipOrMeasure(IEnumerable<Parameter> parameters, double maxGradNorm)
    {
        if (maxGradNorm > 0) return nn.utils.clip_grad_norm_(parameters, maxGradNorm);
        using var scope = NewDisposeScope();
        var squares = parameters.Where(p => p.grad is not null).Select(p => p.grad!.pow(2).sum()).ToArray();
        return squares.Length == 0 ? 0 : stack(squares).sum().sqrt().item<float>();
    }
}
