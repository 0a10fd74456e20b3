using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>
/// Eval mode for a scope: <c>using var _ = new EvalMode(model);</c> puts the module in eval mode and gives it back its
/// training mode at the end, also when the scope ends in an exception (a reward or scorer that samples from the policy
/// in the middle of a training step must leave it as it found it).
/// </summary>
public readonly struct EvalMode : IDisposable
{
    private readonly nn.Module module;
    private readonly bool training;

    public EvalMode(nn.Module module)
    {
        this.module = module;
        training = module.training;
        module.eval();
    }

    public void Dispose()
    {
        if (training) module.train();
    }
}
