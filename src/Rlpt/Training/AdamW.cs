using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter) with decoupled weight decay on matrices only (nanoGPT's rule: no decay on norms
/// and biases). Written here rather than taken from TorchSharp so its state is plain named tensors that a
/// checkpoint stores in safetensors and restores bit for bit.
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly (string Name, Parameter Param, Tensor ExpAvg, Tensor ExpAvgSq, bool Decay)[] groups;

    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }
    public long Step { get; private set; }

    public AdamW(IEnumerable<(string Name, Parameter Param)> parameters, double beta1 = 0.9, double beta2 = 0.95, double eps = 1e-8, double weightDecay = 0.1)
    {
        Beta1 = beta1; Beta2 = beta2; Eps = eps; WeightDecay = weightDecay;
        groups = parameters
            .Where(p => p.Param.requires_grad)
            .Select(p => (p.Name, p.Param,
                zeros_like(p.Param).DetachFromDisposeScope(),
                zeros_like(p.Param).DetachFromDisposeScope(),
                p.Param.dim() >= 2))
            .ToArray();
    }

    public void ZeroGrad()
    {
        foreach (var g in groups) g.Param.grad?.zero_();
    }

    public IEnumerable<Parameter> Parameters => groups.Select(g => g.Param);

    public void StepWith(double learningRate)
    {
        using var guard = no_grad();
        using var scope = NewDisposeScope();
        Step++;
        double correction1 = 1 - Math.Pow(Beta1, Step);
        double correction2 = 1 - Math.Pow(Beta2, Step);
        double stepSize = learningRate / correction1;
        double sqrtCorrection2 = Math.Sqrt(correction2);
        // Explicit, disposed Scalars: implicit conversions are freed by the GC finalizer on another thread, which can
        // corrupt a Scalar LibTorch is still reading (TorchSharp #1496); AdamW makes several per parameter per step.
        using Scalar beta1 = Beta1, oneMinusBeta1 = 1 - Beta1, beta2 = Beta2, oneMinusBeta2 = 1 - Beta2, eps = Eps;
        using Scalar decayFactor = 1 - learningRate * WeightDecay, correction = sqrtCorrection2, negativeStep = -stepSize;
        foreach (var (_, param, expAvg, expAvgSq, decay) in groups)
        {
            var grad = param.grad;
            if (grad is null) continue;
            if (decay && WeightDecay != 0) param.mul_(decayFactor);
            expAvg.mul_(beta1).add_(grad, alpha: oneMinusBeta1);
            expAvgSq.mul_(beta2).addcmul_(grad, grad, value: oneMinusBeta2);
            var denominator = expAvgSq.sqrt().div_(correction).add_(eps);
            param.addcdiv_(expAvg, denominator, value: negativeStep);
        }
    }

    /// <summary>Moment tensors keyed "exp_avg.{param}" / "exp_avg_sq.{param}" for a safetensors checkpoint.</summary>
    public Dictionary<string, Tensor> StateTensors()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var g in groups)
        {
            state["exp_avg." + g.Name] = g.ExpAvg;
            state["exp_avg_sq." + g.Name] = g.ExpAvgSq;
        }
        return state;
    }

    public void LoadState(IReadOnlyDictionary<string, Tensor> state, long step)
    {
        using var guard = no_grad();
        foreach (var g in groups)
        {
            foreach (var (key, target) in new[] { ("exp_avg." + g.Name, g.ExpAvg), ("exp_avg_sq." + g.Name, g.ExpAvgSq) })
            {
                if (!state.TryGetValue(key, out var saved))
                    throw new InvalidDataException($"optimizer state lacks '{key}': the checkpoint does not match this model.");
                if (!saved.shape.SequenceEqual(target.shape))
                    throw new InvalidDataException($"optimizer state '{key}' has shape [{string.Join(",", saved.shape)}], expected [{string.Join(",", target.shape)}].");
                target.copy_(saved);
            }
        }
        Step = step;
    }

    public void Dispose()
    {
        foreach (var g in groups) { g.ExpAvg.Dispose(); g.ExpAvgSq.Dispose(); }
    }
}
