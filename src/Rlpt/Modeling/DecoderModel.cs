using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>The transformer body (Hugging Face's <c>model.*</c> keys): embeddings, decoder layers, final norm.</summary>
public sealed class DecoderModel : nn.Module
{
    private readonly Embedding? embed_tokens;
    private readonly ModuleList<DecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly RotaryEmbedding rotary;

    /// <param name="tokenEmbeddings">False for models fed embeddings only (the decision pillar's transitions): no embed_tokens.</param>
    public DecoderModel(ModelConfig config, bool tokenEmbeddings = true) : base(nameof(DecoderModel))
    {
        if (tokenEmbeddings) embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(i => new DecoderLayer(config, i)).ToArray());
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        rotary = new RotaryEmbedding(config);
        RegisterComponents();
    }

    /// <summary>Every tensor the decoding kernel reads, with rotary tables for <paramref name="positions"/> positions (fp32, CPU).</summary>
    internal Kernels.DecoderWeights KernelWeights(Tensor lmHead, long positions)
    {
        var (cos, sin) = rotary.Tables(positions, CPU, ScalarType.Float32);
        return new(EmbeddingWeight, layers.Select(l => l.KernelWeights).ToArray(), norm.Weight, lmHead, cos, sin);
    }

    internal Parameter EmbeddingWeight => embed_tokens?.weight ?? throw new InvalidOperationException("this model has no token embeddings.");

    /// <summary>
    /// Hidden states [batch, seq, hidden]. Without padding no mask is built: from an empty cache the causal mask is
    /// implicit (the fast kernel, training and prefill) and one new token after cached ones sees all of them (decoding).
    /// An explicit mask is built only for padding or for several new tokens after cached ones (a shared prefix).
    /// </summary>
    /// <param name="attentionMask">[batch, cached + seq], 1 for real tokens and 0 for (left) padding.</param>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask, Tensor? positionIds, IKeyValueCache? cache)
    {
        if (embed_tokens is null) throw new InvalidOperationException("this model has no token embeddings: give it embeddings.");
        using var scope = NewDisposeScope();
        return ForwardEmbeddings(embed_tokens.forward(inputIds), attentionMask, positionIds, cache).MoveToOuterDisposeScope();
    }

    /// <summary>Hidden states from input embeddings [batch, seq, hidden] (Hugging Face's <c>inputs_embeds</c>).</summary>
    public Tensor ForwardEmbeddings(Tensor inputsEmbeds, Tensor? attentionMask, Tensor? positionIds, IKeyValueCache? cache)
    {
        using var scope = NewDisposeScope();
        long seq = inputsEmbeds.shape[1];
        int past = cache?.Length ?? 0;
        // Default positions never exceed past + seq − 1 (left padding only lowers them), so no device read is needed.
        long? positionBound = positionIds is null ? past + seq : null;
        positionIds ??= DefaultPositions(attentionMask, past, seq, inputsEmbeds.device);
        var h = inputsEmbeds;
        var (cos, sin) = rotary.Compute(positionIds, h.dtype, positionBound);
        bool causal = attentionMask is null && past == 0;
        var mask = attentionMask is null && (past == 0 || seq == 1) ? null : BuildMask(attentionMask, past, seq, inputsEmbeds);
        foreach (var layer in layers)
            h = layer.Forward(h, cos, sin, mask, causal, cache);
        cache?.Advance((int)seq);
        return norm.forward(h).MoveToOuterDisposeScope();
    }

    private static Tensor DefaultPositions(Tensor? attentionMask, int past, long seq, Device device)
    {
        if (attentionMask is null) return arange(past, past + seq, ScalarType.Int64, device).unsqueeze(0);
        // Left padding: a sequence's first real token has position 0.
        var positions = attentionMask.to(ScalarType.Int64).cumsum(-1).sub_(1).clamp_min_(0);
        return positions.narrow(1, positions.shape[1] - seq, seq);
    }

    private static Tensor BuildMask(Tensor? attentionMask, int past, long seq, Tensor inputs)
    {
        long keys = past + seq;
        var device = inputs.device;
        var keyIndex = arange(keys, ScalarType.Int64, device).unsqueeze(0);
        var queryIndex = arange(past, keys, ScalarType.Int64, device).unsqueeze(1);
        var allowed = keyIndex.le(queryIndex).unsqueeze(0); // [1, seq, keys]
        if (attentionMask is not null)
        {
            if (attentionMask.shape[1] != keys)
                throw new ArgumentException($"attention mask covers {attentionMask.shape[1]} positions, expected {keys}.");
            allowed = allowed.logical_and(attentionMask.to(ScalarType.Bool).unsqueeze(1));
            // A padding query still attends to itself, so no softmax row is empty (no NaN); its output is ignored.
            allowed = allowed.logical_or(keyIndex.eq(queryIndex).unsqueeze(0));
        }
        return allowed.expand(inputs.shape[0], seq, keys).unsqueeze(1);
    }
}
