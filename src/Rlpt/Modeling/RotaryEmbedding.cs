using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>
/// Rotary position embeddings in Hugging Face's "rotate half" layout (the first and second halves of each head
/// form the pairs), so weights trained here and in transformers agree. Not a module: it has no weights.
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly double[] inverseFrequencies;

    public RotaryEmbedding(ModelConfig config) => inverseFrequencies = InverseFrequencies(config);

    /// <summary>theta^(-2i/head_dim) per pair of dimensions, with Llama 3 scaling applied when the config has it and <paramref name="scaled"/>.</summary>
    internal static double[] InverseFrequencies(ModelConfig config, bool scaled = true)
    {
        int dim = config.HeadDim;
        var frequencies = new double[dim / 2];
        for (int i = 0; i < dim / 2; i++)
            frequencies[i] = 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / dim);
        if (scaled && config.RopeScaling is { RopeType: "llama3" } scaling)
            ApplyLlama3Scaling(frequencies, scaling);
        return frequencies;
    }

    // Llama 3.1: long wavelengths are slowed by `factor`, short ones kept, the band between interpolated.
    private static void ApplyLlama3Scaling(double[] frequencies, RopeScaling s)
    {
        double lowWavelength = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        double highWavelength = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        for (int i = 0; i < frequencies.Length; i++)
        {
            double wavelength = 2 * Math.PI / frequencies[i];
            if (wavelength > lowWavelength) frequencies[i] /= s.Factor;
            else if (wavelength >= highWavelength)
            {
                double smooth = (s.OriginalMaxPositionEmbeddings / wavelength - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
                frequencies[i] = (1 - smooth) * frequencies[i] / s.Factor + smooth * frequencies[i];
            }
        }
    }

    private Tensor? cosTable;
    private Tensor? sinTable;

    /// <summary>
    /// cos and sin of shape [batch, 1, seq, head_dim] for integer positions [batch, seq]. The sin returned carries the
    /// rotation's sign (−sin on the first half), so <see cref="Apply"/> needs no negation or concatenation per call.
    /// Both are rows of tables computed once per device and dtype (and regrown for longer positions): a decoding step
    /// then costs two lookups instead of a dozen ops, with the same values.
    /// </summary>
    /// <param name="positionBound">An upper bound of the positions (exclusive) when the caller knows it; otherwise they are read.</param>
    public (Tensor Cos, Tensor Sin) Compute(Tensor positionIds, ScalarType dtype, long? positionBound = null)
    {
        using var scope = NewDisposeScope();
        var (cosRows, sinRows) = Tables(positionBound ?? positionIds.max().item<long>() + 1, positionIds.device, dtype);
        var flat = positionIds.reshape(-1);
        long batch = positionIds.shape[0], seq = positionIds.shape[1];
        var cos = cosRows.index_select(0, flat).view(batch, 1, seq, -1);
        var sin = sinRows.index_select(0, flat).view(batch, 1, seq, -1);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>The whole cos and signed-sin tables [positions, head_dim], holding at least <paramref name="needed"/> positions.</summary>
    internal (Tensor Cos, Tensor Sin) Tables(long needed, Device device, ScalarType dtype)
    {
        if (cosTable is null || cosTable.device_type != device.type || cosTable.device_index != device.index
            || cosTable.dtype != dtype || cosTable.shape[0] < needed)
            BuildTables(Math.Max(needed, cosTable is null ? 1024 : 2 * cosTable.shape[0]), device, dtype);
        return (cosTable!, sinTable!);
    }

    private void BuildTables(long length, Device device, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var inv = tensor(inverseFrequencies, ScalarType.Float64, device).to(ScalarType.Float32);
        var angles = arange(length, ScalarType.Float32, device).unsqueeze(-1) * inv; // [positions, D/2]
        var sin = angles.sin();
        var cos = cat([angles, angles], -1).cos().to(dtype);
        var signedSin = cat([-sin, sin], -1).to(dtype);
        cosTable?.Dispose();
        sinTable?.Dispose();
        cosTable = cos.DetachFromDisposeScope();
        sinTable = signedSin.DetachFromDisposeScope();
    }

    /// <summary>
    /// x·cos + rotate_half(x)·sin, with rotate_half(x) = [−x₂, x₁] as the swapped halves [x₂, x₁] times the signed sin.
    /// The swap is two slices and a cat: <c>roll</c> would be one op but made batch-256 decoding 20% slower (measured).
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor signedSin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var swapped = cat([x[TensorIndex.Ellipsis, TensorIndex.Slice(half)], x[TensorIndex.Ellipsis, TensorIndex.Slice(0, half)]], -1);
        return (x * cos).add_(swapped * signedSin).MoveToOuterDisposeScope();
    }
}
