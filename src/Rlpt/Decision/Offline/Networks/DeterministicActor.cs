using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Networks;

/// <summary>A deterministic policy π(s) = scale(tanh(MLP(s))) (TD3, TD3+BC).</summary>
public sealed class DeterministicActor : nn.Module<Tensor, Tensor>
{
    private readonly Mlp net;
    private readonly ActionScale scale;

    public DeterministicActor(int observations, ActionScale scale, int hidden, int depth) : base(nameof(DeterministicActor))
    {
        this.scale = scale;
        net = new Mlp(observations, scale.Size, hidden, depth);
        RegisterComponents();
    }

    public override Tensor forward(Tensor observations) => scale.ToBox(net.forward(observations).tanh());
}
