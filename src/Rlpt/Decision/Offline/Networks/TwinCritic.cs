using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Networks;

/// <summary>Two independent critics Q₁, Q₂(s, a) = MLP([s; a]) (clipped double-Q learning, Fujimoto et al. 2018).</summary>
public sealed class TwinCritic : nn.Module<Tensor, Tensor, (Tensor, Tensor)>
{
    private readonly Mlp q1;
    private readonly Mlp q2;

    public TwinCritic(int observations, int actions, int hidden, int depth) : base(nameof(TwinCritic))
    {
        q1 = new Mlp(observations + actions, 1, hidden, depth);
        q2 = new Mlp(observations + actions, 1, hidden, depth);
        RegisterComponents();
    }

    /// <summary>Both critics' values [B] (or [B, N] for actions [B, N, act] against observations [B, N, obs]).</summary>
    public override (Tensor, Tensor) forward(Tensor observations, Tensor actions)
    {
        var input = cat([observations, actions], -1);
        return (q1.forward(input).squeeze(-1), q2.forward(input).squeeze(-1));
    }

    public Tensor Min(Tensor observations, Tensor actions)
    {
        var (a, b) = forward(observations, actions);
        return minimum(a, b);
    }
}
