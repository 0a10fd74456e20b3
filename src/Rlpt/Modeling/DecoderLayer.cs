using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>Pre-norm transformer block: x + attn(norm(x)), then + mlp(norm(x)).</summary>
public sealed class DecoderLayer : nn.Module
{
    private readonly Attention self_attn;
    private readonly Mlp mlp;
    private readonly RmsNorm input_layernorm;
    private readonly RmsNorm post_attention_layernorm;

    public DecoderLayer(ModelConfig config, int layerIndex) : base(nameof(DecoderLayer))
    {
        self_attn = new Attention(config, layerIndex);
        mlp = new Mlp(config);
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        RegisterComponents();
    }

    internal Kernels.LayerWeights KernelWeights
    {
        get
        {
            var a = self_attn.Weights;
            var m = mlp.Weights;
            return new(input_layernorm.Weight, a.Q, a.QBias, a.K, a.KBias, a.V, a.VBias, a.O, a.QNorm, a.KNorm, post_attention_layernorm.Weight, m.Gate, m.Up, m.Down);
        }
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, bool causal, IKeyValueCache? cache)
    {
        using var scope = NewDisposeScope();
        var h = x + self_attn.Forward(input_layernorm.forward(x), cos, sin, mask, causal, cache);
        var output = h + mlp.forward(post_attention_layernorm.forward(h));
        return output.MoveToOuterDisposeScope();
    }
}
