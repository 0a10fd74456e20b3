using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rlpt.Modeling.Kernels;

/// <summary>
/// The few fp32 vector operations of a one-row decoding step, in portable SIMD (<see cref="Vector256"/>, which the JIT
/// turns into AVX2/FMA where the CPU has them). Each loop keeps several accumulators so that the adds of a long dot
/// product do not wait on each other. Every method is compiled optimised at once: at tier 0 the JIT neither inlines
/// nor optimises the vector code, and a short generation would run most of its steps that way.
/// </summary>
internal static unsafe class VectorMath
{
    /// <summary>Σ a[i]·b[i] over <paramref name="n"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static float Dot(float* a, float* b, int n)
    {
        int i = 0;
        var s0 = Vector256<float>.Zero;
        var s1 = Vector256<float>.Zero;
        var s2 = Vector256<float>.Zero;
        var s3 = Vector256<float>.Zero;
        for (; i <= n - 32; i += 32)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 8), Vector256.Load(b + i + 8), s1);
            s2 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 16), Vector256.Load(b + i + 16), s2);
            s3 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 24), Vector256.Load(b + i + 24), s3);
        }
        for (; i <= n - 8; i += 8) s0 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), s0);
        float sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>
    /// y[b, r] = W[r]·x[b] (+ bias[r]) for matrix rows [<paramref name="from"/>, <paramref name="to"/>) of a row-major
    /// [rows, n] matrix and each of <paramref name="batch"/> inputs x [batch, n] (y is [batch, rows]). A matrix row is
    /// read from memory once and dotted with every input while it is in L1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatVec(float* w, float* x, int batch, float* bias, float* y, int n, int rows, int from, int to)
    {
        for (int r = from; r < to; r++)
        {
            float* row = w + (long)r * n;
            float offset = bias is null ? 0 : bias[r];
            for (int b = 0; b < batch; b++) y[(long)b * rows + r] = Dot(row, x + (long)b * n, n) + offset;
        }
    }

    /// <summary>y = x · rsqrt(mean(x²) + eps) · weight, as Llama's RMSNorm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RmsNorm(float* x, float* weight, float* y, int n, float eps)
    {
        float scale = 1f / MathF.Sqrt(Dot(x, x, n) / n + eps);
        int i = 0;
        var s = Vector256.Create(scale);
        for (; i <= n - 8; i += 8) Vector256.Store(Vector256.Load(x + i) * s * Vector256.Load(weight + i), y + i);
        for (; i < n; i++) y[i] = x[i] * scale * weight[i];
    }

    /// <summary>x += y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(float* x, float* y, int n)
    {
        int i = 0;
        for (; i <= n - 8; i += 8) Vector256.Store(Vector256.Load(x + i) + Vector256.Load(y + i), x + i);
        for (; i < n; i++) x[i] += y[i];
    }

    /// <summary>gate[i] = silu(gate[i]) · up[i] (SwiGLU).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SiluMultiply(float* gate, float* up, int n)
    {
        for (int i = 0; i < n; i++)
        {
            float g = gate[i];
            gate[i] = g / (1f + MathF.Exp(-g)) * up[i];
        }
    }

    /// <summary>
    /// Rotates one head in Hugging Face's "rotate half" layout in place: x·cos + [x₂, x₁]·signedSin, where the table's
    /// sin carries the rotation's sign (−sin on the first half), as <see cref="RotaryEmbedding"/> builds it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rotate(float* x, float* cos, float* signedSin, int headDim)
    {
        int half = headDim / 2;
        for (int i = 0; i < half; i++)
        {
            float first = x[i], second = x[i + half];
            x[i] = first * cos[i] + second * signedSin[i];
            x[i + half] = second * cos[i + half] + first * signedSin[i + half];
        }
    }

    /// <summary>
    /// One query head over <paramref name="length"/> cached positions of its key/value head ([length, headDim] each,
    /// row-major): softmax(q·Kᵀ/√d)·V into <paramref name="output"/>, skipping positions whose <paramref name="mask"/>
    /// entry is 0 (left padding; null: none). <paramref name="scores"/> holds length floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Attend(float* query, float* keys, float* values, int length, int headDim, long* mask, float* scores, float* output)
    {
        float scale = 1f / MathF.Sqrt(headDim);
        float max = float.NegativeInfinity;
        for (int t = 0; t < length; t++)
        {
            if (mask is not null && mask[t] == 0)
            {
                scores[t] = float.NegativeInfinity;
                continue;
            }
            float s = Dot(query, keys + (long)t * headDim, headDim) * scale;
            scores[t] = s;
            if (s > max) max = s;
        }
        float total = 0;
        for (int t = 0; t < length; t++)
        {
            float e = MathF.Exp(scores[t] - max);
            scores[t] = e;
            total += e;
        }
        new Span<float>(output, headDim).Clear();
        float inverse = 1f / total;
        for (int t = 0; t < length; t++)
        {
            float weight = scores[t] * inverse;
            if (weight == 0) continue;
            float* v = values + (long)t * headDim;
            int i = 0;
            var wv = Vector256.Create(weight);
            for (; i <= headDim - 8; i += 8) Vector256.Store(Vector256.FusedMultiplyAdd(Vector256.Load(v + i), wv, Vector256.Load(output + i)), output + i);
            for (; i < headDim; i++) output[i] += weight * v[i];
        }
    }
}
