using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) * up(x)).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear gate_proj;
    private readonly Linear up_proj;
    private readonly Linear down_proj;

    public Mlp(ModelConfig config) : base(nameof(Mlp))
    {
        gate_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        up_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        down_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    internal (Tensor Gate, Tensor Up, Tensor Down) Weights => (gate_proj.weight!, up_proj.weight!, down_proj.weight!);

    public override Tensor forward(Tensor x)
    {
        using var gate = gate_proj.forward(x);
        using var activated = nn.functional.silu(gate);
        using var up = up_proj.forward(x);
        using var product = activated * up; // not in place: autograd needs both factors
        return down_proj.forward(product);
    }
}
