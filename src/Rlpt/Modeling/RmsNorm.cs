using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>Root-mean-square norm, computed in (at least) fp32 as Llama and Qwen do, then cast back.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    // A Scalar held by the module: an implicit double → Scalar conversion per call would be left to the GC finalizer,
    // which frees it on another thread while LibTorch may still read it (a rare corrupted-Scalar crash, TorchSharp #1496).
    private readonly Scalar eps;

    public RmsNorm(long size, double eps) : base(nameof(RmsNorm))
    {
        weight = nn.Parameter(ones(size));
        this.eps = eps.ToScalar();
        RegisterComponents();
    }

    internal Parameter Weight => weight;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var dtype = x.dtype;
        // fp32 and fp64 are normalised as they are: no casts (a decoding step is bound by the number of ops).
        bool wide = dtype == ScalarType.Float32 || dtype == ScalarType.Float64;
        var h = wide ? x : x.to(ScalarType.Float32);
        h = h * (h.square().mean([-1], keepdim: true) + eps).rsqrt_();
        return (weight * (wide ? h : h.to(dtype))).MoveToOuterDisposeScope();
    }
}
