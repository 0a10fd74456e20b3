using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Modeling.Kernels;

/// <summary>
/// One decoding step (one new token after cached ones) of up to <see cref="MaxRows"/> rows on the CPU in fp32, as
/// hand-written SIMD loops over the model's own tensors instead of ~50 LibTorch ops per layer. At small batches a
/// step's cost is the per-op overhead of TorchSharp and LibTorch plus reading every weight once; this keeps only the
/// reading, done once for all rows (each weight row is dotted with every row's input while it is in L1). Beyond a few
/// rows the arithmetic dominates and LibTorch's GEMM is faster (BENCHMARKS.md, batch-1 decoding). The arithmetic is
/// the module path's (RMSNorm, rotary "rotate half", grouped-query attention, SwiGLU, left padding), checked against
/// it and against a full recompute in tests; keys and values go into the same <see cref="KvCache"/>, so steps of
/// either path follow each other freely.
/// </summary>
internal sealed unsafe class SmallBatchDecoder(ModelConfig config)
{
    /// <summary>
    /// The most rows a step runs here; larger batches take the modules. Measured in one run each (BENCHMARKS.md): the
    /// kernel is ahead of the modules up to 8 rows and behind from 16, where the arithmetic (each row's dots) outweighs
    /// the per-op overhead it saves.
    /// </summary>
    public const int MaxRows = 8;

    private readonly object gate = new();
    private float[] scratch = [];
    private float[] scores = [];
    private IntPtr[] checkedHandles = [];
    private long steps;

    /// <summary>Steps this kernel has run (tests check that a path they mean to exercise took it).</summary>
    public long Steps => Interlocked.Read(ref steps);

    /// <summary>
    /// Whether this step can run here: at most <see cref="MaxRows"/> rows of one token, no explicit positions, no
    /// autograd, fp32 CPU tensors laid out densely (the weights checked once per set of tensors), room in the cache.
    /// </summary>
    public bool Applies(Tensor inputIds, Tensor? attentionMask, Tensor? positionIds, IKeyValueCache? cache, DecoderWeights weights)
    {
        if (cache is not KvCache kv || kv.BatchSize > MaxRows || kv.Length >= kv.Capacity || positionIds is not null) return false;
        if (inputIds.device_type != DeviceType.CPU || inputIds.dim() != 2 || inputIds.shape[0] != kv.BatchSize || inputIds.shape[1] != 1 || is_grad_enabled()) return false;
        // A mask is [rows, cached + 1] int64 with unit stride along positions (rows may be strided: a view of a wider buffer).
        if (attentionMask is not null && (attentionMask.dtype != ScalarType.Int64 || attentionMask.device_type != DeviceType.CPU || attentionMask.dim() != 2
            || attentionMask.shape[0] != kv.BatchSize || attentionMask.shape[1] != kv.Length + 1 || attentionMask.stride(1) != 1)) return false;
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

    /// <summary>Logits [rows, 1, vocab] of the token after each row's <paramref name="inputIds"/>; appends their keys/values and advances the cache.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public Tensor Step(Tensor inputIds, Tensor? attentionMask, KvCache cache, DecoderWeights weights)
    {
        int hidden = config.HiddenSize, heads = config.NumAttentionHeads, kvHeads = config.KeyValueHeads, headDim = config.HeadDim;
        int inter = config.IntermediateSize, vocab = config.VocabSize, groups = heads / kvHeads;
        int rows = (int)cache.BatchSize, length = cache.Length + 1, capacity = cache.Capacity;
        long rowStride = (long)kvHeads * capacity * headDim;
        float eps = (float)config.RmsNormEps;
        long[] tokens;
        using (var flat = inputIds.reshape(-1).contiguous()) tokens = flat.data<long>().ToArray();
        foreach (var token in tokens)
            if (token < 0 || token >= vocab) throw new ArgumentOutOfRangeException(nameof(inputIds), $"token id {token} is outside the vocabulary of {vocab}.");
        long* mask = attentionMask is null ? null : (long*)TensorMemory.Data(attentionMask);
        long maskStride = attentionMask is null ? 0 : attentionMask.stride(0);
        // Each row's new rotary position: its index among the row's real (unmasked) tokens, as the module path's cumsum.
        var positions = new long[rows];
        for (int b = 0; b < rows; b++)
        {
            long position = length - 1;
            if (mask is not null)
            {
                position = -1;
                for (int t = 0; t < length; t++) position += mask[b * maskStride + t] != 0 ? 1 : 0;
                position = Math.Max(position, 0);
            }
            if (position >= weights.RotaryCos.shape[0]) throw new InvalidOperationException($"rotary tables hold {weights.RotaryCos.shape[0]} positions, {position} needed.");
            positions[b] = position;
        }
        var logits = empty([rows, 1, vocab], ScalarType.Float32);
        lock (gate)
        {
            int qSize = heads * headDim, kvSize = kvHeads * headDim;
            EnsureScratch(rows * (3 * hidden + 2 * qSize + 2 * kvSize + 2 * inter), length);
            fixed (float* buffer = scratch, scoreBuffer = scores)
            {
                // Row-major [rows, width] activations.
                float* x = buffer, normed = x + rows * hidden, attended = normed + rows * hidden, projected = attended + rows * qSize;
                float* q = projected + rows * hidden, k = q + rows * qSize, v = k + rows * kvSize, gateUp = v + rows * kvSize, up = gateUp + rows * inter;
                float* embeddings = TensorMemory.Floats(weights.Embeddings), cosTable = TensorMemory.Floats(weights.RotaryCos), sinTable = TensorMemory.Floats(weights.RotarySin);
                for (int b = 0; b < rows; b++)
                    new Span<float>(embeddings + tokens[b] * hidden, hidden).CopyTo(new Span<float>(x + b * hidden, hidden));
                for (int layer = 0; layer < weights.Layers.Count; layer++)
                {
                    var w = weights.Layers[layer];
                    Norm(x, w.InputNorm, normed, rows, hidden, eps);
                    ParallelMatVec.Run(normed, hidden, rows, Product(w.Q, w.QBias, q, qSize), Product(w.K, w.KBias, k, kvSize), Product(w.V, w.VBias, v, kvSize));
                    float* keyCache = TensorMemory.Floats(cache.Keys(layer)), valueCache = TensorMemory.Floats(cache.Values(layer));
                    for (int b = 0; b < rows; b++)
                    {
                        float* cos = cosTable + positions[b] * headDim, sin = sinTable + positions[b] * headDim;
                        float* rowQ = q + b * qSize, rowK = k + b * kvSize, rowV = v + b * kvSize;
                        float* rowKeys = keyCache + b * rowStride, rowValues = valueCache + b * rowStride;
                        for (int h = 0; h < heads; h++)
                        {
                            if (w.QNorm is not null) VectorMath.RmsNorm(rowQ + h * headDim, TensorMemory.Floats(w.QNorm), rowQ + h * headDim, headDim, eps);
                            VectorMath.Rotate(rowQ + h * headDim, cos, sin, headDim);
                        }
                        for (int h = 0; h < kvHeads; h++)
                        {
                            if (w.KNorm is not null) VectorMath.RmsNorm(rowK + h * headDim, TensorMemory.Floats(w.KNorm), rowK + h * headDim, headDim, eps);
                            VectorMath.Rotate(rowK + h * headDim, cos, sin, headDim);
                            // Kv head h, position length − 1 of this row in a [rows, kv_heads, capacity, head_dim] buffer.
                            long at = ((long)h * capacity + length - 1) * headDim;
                            new Span<float>(rowK + h * headDim, headDim).CopyTo(new Span<float>(rowKeys + at, headDim));
                            new Span<float>(rowV + h * headDim, headDim).CopyTo(new Span<float>(rowValues + at, headDim));
                        }
                        // Query head h·groups + g reads key/value head h, as the module path's repeat of the kv heads.
                        long* rowMask = mask is null ? null : mask + b * maskStride;
                        for (int h = 0; h < heads; h++)
                        {
                            long head = (long)(h / groups) * capacity * headDim;
                            VectorMath.Attend(rowQ + h * headDim, rowKeys + head, rowValues + head, length, headDim, rowMask, scoreBuffer, attended + b * qSize + h * headDim);
                        }
                    }
                    ParallelMatVec.Run(attended, qSize, rows, Product(w.O, null, projected, hidden));
                    VectorMath.Add(x, projected, rows * hidden);
                    Norm(x, w.PostAttentionNorm, normed, rows, hidden, eps);
                    ParallelMatVec.Run(normed, hidden, rows, Product(w.Gate, null, gateUp, inter), Product(w.Up, null, up, inter));
                    VectorMath.SiluMultiply(gateUp, up, rows * inter);
                    ParallelMatVec.Run(gateUp, inter, rows, Product(w.Down, null, projected, hidden));
                    VectorMath.Add(x, projected, rows * hidden);
                }
                Norm(x, weights.FinalNorm, normed, rows, hidden, eps);
                ParallelMatVec.Run(normed, hidden, rows, Product(weights.LmHead, null, TensorMemory.Floats(logits), vocab));
                ParallelMatVec.Park();
            }
        }
        cache.Advance(1);
        Interlocked.Increment(ref steps);
        return logits;
    }

    private static void Norm(float* x, Tensor weight, float* output, int rows, int width, float eps)
    {
        float* w = TensorMemory.Floats(weight);
        for (int b = 0; b < rows; b++) VectorMath.RmsNorm(x + b * width, w, output + b * width, width, eps);
    }

    private static ParallelMatVec.Product Product(Tensor weights, Tensor? bias, float* output, int rows) =>
        new((nint)TensorMemory.Floats(weights), bias is null ? 0 : (nint)TensorMemory.Floats(bias), (nint)output, rows);

    private void EnsureScratch(int floats, int positions)
    {
        if (scratch.Length < floats) scratch = new float[floats];
        if (scores.Length < positions) scores = new float[Math.Max(positions, 2 * scores.Length)];
    }
}
