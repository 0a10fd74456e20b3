using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>Root-mean-square norm, computed in (at least) fp32 as Llama and Qwen do, then cast back.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double eps;

    public RmsNorm(long size, double eps) : base(nameof(RmsNorm))
    {
        weight = nn.Parameter(ones(size));
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var dtype = x.dtype;
        var h = x.dtype == ScalarType.Float64 ? x : x.to(ScalarType.Float32);
        h = h * rsqrt(h.pow(2).mean([-1], keepdim: true) + eps);
        return (weight * h.to(dtype)).MoveToOuterDisposeScope();
    }
}
