using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>Multi-head attention with grouped-query heads, rotary positions and optional QK-norm (Qwen3).</summary>
public sealed class Attention : nn.Module
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly RmsNorm? q_norm;
    private readonly RmsNorm? k_norm;
    private readonly int heads;
    private readonly int kvHeads;
    private readonly int headDim;
    private readonly int layerIndex;

    public Attention(ModelConfig config, int layerIndex) : base(nameof(Attention))
    {
        heads = config.NumAttentionHeads;
        kvHeads = config.KeyValueHeads;
        headDim = config.HeadDim;
        this.layerIndex = layerIndex;
        q_proj = nn.Linear(config.HiddenSize, heads * headDim, hasBias: config.AttentionBias);
        k_proj = nn.Linear(config.HiddenSize, kvHeads * headDim, hasBias: config.AttentionBias);
        v_proj = nn.Linear(config.HiddenSize, kvHeads * headDim, hasBias: config.AttentionBias);
        o_proj = nn.Linear(heads * headDim, config.HiddenSize, hasBias: false);
        if (config.UsesQkNorm)
        {
            q_norm = new RmsNorm(headDim, config.RmsNormEps);
            k_norm = new RmsNorm(headDim, config.RmsNormEps);
        }
        RegisterComponents();
    }

    internal (Tensor Q, Tensor? QBias, Tensor K, Tensor? KBias, Tensor V, Tensor? VBias, Tensor O, Tensor? QNorm, Tensor? KNorm) Weights =>
        (q_proj.weight!, q_proj.bias, k_proj.weight!, k_proj.bias, v_proj.weight!, v_proj.bias, o_proj.weight!, q_norm?.Weight, k_norm?.Weight);

    /// <param name="x">[batch, seq, hidden]</param>
    /// <param name="mask">Boolean [batch, 1, seq, keys] (true = may attend), or null: then causal attention when <paramref name="causal"/>, else every key (one new token after cached ones).</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, bool causal, IKeyValueCache? cache)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], seq = x.shape[1];
        var q = q_proj.forward(x).view(batch, seq, heads, headDim);
        var k = k_proj.forward(x).view(batch, seq, kvHeads, headDim);
        var v = v_proj.forward(x).view(batch, seq, kvHeads, headDim).transpose(1, 2);
        if (q_norm is not null) q = q_norm.forward(q);
        if (k_norm is not null) k = k_norm!.forward(k);
        q = RotaryEmbedding.Apply(q.transpose(1, 2), cos, sin);
        k = RotaryEmbedding.Apply(k.transpose(1, 2), cos, sin);
        if (cache is not null) (k, v) = cache.Append(layerIndex, k, v);
        Tensor attended;
        if (causal)
        {
            // Training and prefill: implicit causal mask (fast kernel); key/value heads repeated to match the query heads.
            attended = nn.functional.scaled_dot_product_attention(q, RepeatKeyValueHeads(k), RepeatKeyValueHeads(v), is_casual: true);
        }
        else
        {
            // Decoding: fold each query group into the sequence axis instead of repeating the (long, cached) keys
            // and values per query head: rows g·seq + t of kv-head h are query head h·groups + g at position t.
            int groups = heads / kvHeads;
            var grouped = q.reshape(batch, kvHeads, groups * seq, headDim);
            var groupedMask = mask is null || groups == 1 ? mask : mask.repeat(1, 1, groups, 1);
            attended = nn.functional.scaled_dot_product_attention(grouped, k, v, attn_mask: groupedMask).view(batch, heads, seq, headDim);
        }
        var merged = attended.transpose(1, 2).reshape(batch, seq, heads * headDim);
        return o_proj.forward(merged).MoveToOuterDisposeScope();
    }

    private Tensor RepeatKeyValueHeads(Tensor t)
    {
        if (kvHeads == heads) return t;
        long batch = t.shape[0], length = t.shape[2];
        int groups = heads / kvHeads;
        return t.unsqueeze(2).expand(batch, kvHeads, groups, length, headDim).reshape(batch, heads, length, headDim);
    }
}
