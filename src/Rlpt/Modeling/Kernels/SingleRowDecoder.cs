using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Modeling.Kernels;

/// <summary>
/// One decoding step of a single row (one new token after cached ones) on the CPU in fp32, as hand-written SIMD loops
/// over the model's own tensors instead of ~50 LibTorch ops per layer. At batch 1 a step's cost is the per-op overhead
/// of TorchSharp and LibTorch plus reading every weight once; this keeps only the reading (BENCHMARKS.md, batch-1
/// decoding). The arithmetic is the module path's (RMSNorm, rotary "rotate half", grouped-query attention, SwiGLU),
/// checked against it and against a full recompute in tests; the keys and values go into the same
/// <see cref="KvCache"/>, so steps of either path follow each other freely.
/// </summary>
internal sealed unsafe class SingleRowDecoder(ModelConfig config)
{
    private readonly object gate = new();
    private float[] scratch = [];
    private float[] scores = [];
    private IntPtr[] checkedHandles = [];
    private long steps;

    /// <summary>Steps this kernel has run (tests check that a path they mean to exercise took it).</summary>
    public long Steps => Interlocked.Read(ref steps);

    /// <summary>
    /// Whether this step can run here: one row of one token, no explicit positions, no autograd, fp32 CPU tensors laid
    /// out densely (checked once per set of tensors), room in the cache.
    /// </summary>
    public bool Applies(Tensor inputIds, Tensor? attentionMask, Tensor? positionIds, IKeyValueCache? cache, DecoderWeights weights)
    {
        if (cache is not KvCache kv || kv.BatchSize != 1 || kv.Length >= kv.Capacity || positionIds is not null) return false;
        if (inputIds.device_type != DeviceType.CPU || inputIds.numel() != 1 || inputIds.dim() != 2 || is_grad_enabled()) return false;
        if (attentionMask is not null && (attentionMask.dtype != ScalarType.Int64 || !attentionMask.is_contiguous() || attentionMask.numel() != kv.Length + 1)) return false;
        if (!TensorMemory.IsDenseFloat(kv.Keys(0)) || !TensorMemory.IsDenseFloat(kv.Values(0))) return false;
        var handles = weights.All.Select(t => t?.Handle ?? IntPtr.Zero).ToArray();
        lock (gate)
        {
            if (handles.AsSpan().SequenceEqual(checkedHandles)) return true;
            if (!weights.All.All(t => t is null || TensorMemory.IsDenseFloat(t))) return false;
            checkedHandles = handles;
            return true;
        }
    }

    /// <summary>Logits [1, 1, vocab] of the token after <paramref name="inputIds"/>; appends its keys/values and advances the cache.</summary>
    public Tensor Step(Tensor inputIds, Tensor? attentionMask, KvCache cache, DecoderWeights weights)
    {
        int hidden = config.HiddenSize, heads = config.NumAttentionHeads, kvHeads = config.KeyValueHeads, headDim = config.HeadDim;
        int inter = config.IntermediateSize, vocab = config.VocabSize, groups = heads / kvHeads;
        int length = cache.Length + 1, capacity = cache.Capacity;
        float eps = (float)config.RmsNormEps;
        long token = inputIds.reshape(-1).item<long>();
        if (token < 0 || token >= vocab) throw new ArgumentOutOfRangeException(nameof(inputIds), $"token id {token} is outside the vocabulary of {vocab}.");
        long* mask = attentionMask is null ? null : (long*)TensorMemory.Data(attentionMask);
        // The new token's rotary position: its index among the real (unmasked) tokens, as the module path's cumsum.
        long position = length - 1;
        if (mask is not null)
        {
            position = -1;
            for (int t = 0; t < length; t++) position += mask[t] != 0 ? 1 : 0;
            position = Math.Max(position, 0);
        }
        if (position >= weights.RotaryCos.shape[0]) throw new InvalidOperationException($"rotary tables hold {weights.RotaryCos.shape[0]} positions, {position} needed.");
        var logits = empty([1, 1, vocab], ScalarType.Float32);
        lock (gate)
        {
            int qSize = heads * headDim, kvSize = kvHeads * headDim;
            EnsureScratch(4 * hidden + 2 * qSize + 2 * kvSize + 2 * inter, length);
            fixed (float* buffer = scratch, scoreBuffer = scores)
            {
                float* x = buffer, normed = x + hidden, attended = normed + hidden, projected = attended + qSize;
                float* q = projected + hidden, k = q + qSize, v = k + kvSize, gateUp = v + kvSize, up = gateUp + inter;
                new Span<float>(TensorMemory.Floats(weights.Embeddings) + token * hidden, hidden).CopyTo(new Span<float>(x, hidden));
                float* cos = TensorMemory.Floats(weights.RotaryCos) + position * headDim;
                float* sin = TensorMemory.Floats(weights.RotarySin) + position * headDim;
                for (int layer = 0; layer < weights.Layers.Count; layer++)
                {
                    var w = weights.Layers[layer];
                    VectorMath.RmsNorm(x, TensorMemory.Floats(w.InputNorm), normed, hidden, eps);
                    ParallelMatVec.Run(normed, hidden, Product(w.Q, w.QBias, q, qSize), Product(w.K, w.KBias, k, kvSize), Product(w.V, w.VBias, v, kvSize));
                    float* keyCache = TensorMemory.Floats(cache.Keys(layer)), valueCache = TensorMemory.Floats(cache.Values(layer));
                    for (int h = 0; h < heads; h++)
                    {
                        if (w.QNorm is not null) VectorMath.RmsNorm(q + h * headDim, TensorMemory.Floats(w.QNorm), q + h * headDim, headDim, eps);
                        VectorMath.Rotate(q + h * headDim, cos, sin, headDim);
                    }
                    for (int h = 0; h < kvHeads; h++)
                    {
                        if (w.KNorm is not null) VectorMath.RmsNorm(k + h * headDim, TensorMemory.Floats(w.KNorm), k + h * headDim, headDim, eps);
                        VectorMath.Rotate(k + h * headDim, cos, sin, headDim);
                        // Row 0, kv head h, position length − 1 of a [rows, kv_heads, capacity, head_dim] buffer.
                        long at = ((long)h * capacity + length - 1) * headDim;
                        new Span<float>(k + h * headDim, headDim).CopyTo(new Span<float>(keyCache + at, headDim));
                        new Span<float>(v + h * headDim, headDim).CopyTo(new Span<float>(valueCache + at, headDim));
                    }
                    // Query head h·groups + g reads key/value head h, as the module path's repeat of the kv heads.
                    for (int h = 0; h < heads; h++)
                    {
                        long head = (long)(h / groups) * capacity * headDim;
                        VectorMath.Attend(q + h * headDim, keyCache + head, valueCache + head, length, headDim, mask, scoreBuffer, attended + h * headDim);
                    }
                    ParallelMatVec.Run(attended, qSize, Product(w.O, null, projected, hidden));
                    VectorMath.Add(x, projected, hidden);
                    VectorMath.RmsNorm(x, TensorMemory.Floats(w.PostAttentionNorm), normed, hidden, eps);
                    ParallelMatVec.Run(normed, hidden, Product(w.Gate, null, gateUp, inter), Product(w.Up, null, up, inter));
                    VectorMath.SiluMultiply(gateUp, up, inter);
                    ParallelMatVec.Run(gateUp, inter, Product(w.Down, null, projected, hidden));
                    VectorMath.Add(x, projected, hidden);
                }
                VectorMath.RmsNorm(x, TensorMemory.Floats(weights.FinalNorm), normed, hidden, eps);
                ParallelMatVec.Run(normed, hidden, Product(weights.LmHead, null, TensorMemory.Floats(logits), vocab));
            }
        }
        cache.Advance(1);
        Interlocked.Increment(ref steps);
        return logits;
    }

    private static ParallelMatVec.Product Product(Tensor weights, Tensor? bias, float* output, int rows) =>
        new((nint)TensorMemory.Floats(weights), bias is null ? 0 : (nint)TensorMemory.Floats(bias), (nint)output, rows);

    private void EnsureScratch(int floats, int positions)
    {
        if (scratch.Length < floats) scratch = new float[floats];
        if (scores.Length < positions) scores = new float[Math.Max(positions, 2 * scores.Length)];
    }
}
