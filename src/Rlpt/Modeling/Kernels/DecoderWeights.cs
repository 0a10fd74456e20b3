using static TorchSharp.torch;

namespace Rlpt.Modeling.Kernels;

/// <summary>One decoder layer's tensors as the kernels read them (Hugging Face's names; biases and QK-norms optional).</summary>
internal sealed record LayerWeights(
    Tensor InputNorm, Tensor Q, Tensor? QBias, Tensor K, Tensor? KBias, Tensor V, Tensor? VBias, Tensor O, Tensor? QNorm, Tensor? KNorm,
    Tensor PostAttentionNorm, Tensor Gate, Tensor Up, Tensor Down)
{
    public IEnumerable<Tensor?> All => [InputNorm, Q, QBias, K, KBias, V, VBias, O, QNorm, KNorm, PostAttentionNorm, Gate, Up, Down];
}

/// <summary>The whole model's tensors for <see cref="SmallBatchDecoder"/>: embeddings, layers, final norm, lm_head (the embeddings when tied).</summary>
internal sealed record DecoderWeights(Tensor Embeddings, IReadOnlyList<LayerWeights> Layers, Tensor FinalNorm, Tensor LmHead, Tensor RotaryCos, Tensor RotarySin)
{
    public IEnumerable<Tensor?> All => Layers.SelectMany(l => l.All).Concat([Embeddings, FinalNorm, LmHead, RotaryCos, RotarySin]);
}
