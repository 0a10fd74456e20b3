using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Networks;

/// <summary>
/// SAC's squashed Gaussian policy: u ~ N(μ(s), σ(s)), a = scale(tanh u), with
/// log π(a|s) = Σ [log N(u; μ, σ) − log(1 − tanh²u)] − Σ log(half-range); log σ is clamped to [−5, 2]. The
/// correction uses the stable identity log(1 − tanh²u) = 2(log 2 − u − softplus(−2u)).
/// </summary>
public sealed class TanhGaussianActor : nn.Module<Tensor, Tensor>
{
    private const double MinLogStd = -5, MaxLogStd = 2;
    private readonly Mlp net;
    private readonly ActionScale scale;

    public TanhGaussianActor(int observations, ActionScale scale, int hidden, int depth) : base(nameof(TanhGaussianActor))
    {
        this.scale = scale;
        net = new Mlp(observations, 2 * scale.Size, hidden, depth);
        RegisterComponents();
    }

    /// <summary>The deterministic action scale(tanh μ(s)) used for evaluation.</summary>
    public override Tensor forward(Tensor observations) => scale.ToBox(Distribution(observations).Mean.tanh());

    /// <summary>A reparameterised sample and its log-probability [B].</summary>
    public (Tensor Action, Tensor LogProb) Sample(Tensor observations)
    {
        var (mean, logStd) = Distribution(observations);
        var u = mean + logStd.exp() * randn_like(mean);
        return (scale.ToBox(u.tanh()), LogProb(u, mean, logStd));
    }

    /// <summary>log π(a|s) [B] of given actions (IQL's and BC's likelihood of dataset actions), clipped inside the open box.</summary>
    public Tensor LogProb(Tensor observations, Tensor actions)
    {
        var (mean, logStd) = Distribution(observations);
        using Scalar bound = 1 - 1e-6, negativeBound = -(1 - 1e-6);
        var u = scale.ToUnit(actions).clamp(negativeBound, bound).atanh();
        return LogProb(u, mean, logStd);
    }

    private (Tensor Mean, Tensor LogStd) Distribution(Tensor observations)
    {
        var output = net.forward(observations).chunk(2, -1);
        using Scalar low = MinLogStd, high = MaxLogStd;
        return (output[0], output[1].clamp(low, high));
    }

    private Tensor LogProb(Tensor u, Tensor mean, Tensor logStd)
    {
        using Scalar half = 0.5, logTwoPi = Math.Log(2 * Math.PI), two = 2.0, logTwo = Math.Log(2), minusTwo = -2.0, logScale = scale.LogScale;
        var z = (u - mean) / logStd.exp();
        var gaussian = (z.square().add(logTwoPi).mul(half) + logStd).neg();
        var squash = u.neg().add(logTwo).sub(nn.functional.softplus(u.mul(minusTwo))).mul(two);
        return (gaussian - squash).sum(-1).sub(logScale);
    }
}
