namespace Rlpt.Interop.Gguf;

/// <summary>
/// A tensor's entry in a GGUF file. <see cref="Dimensions"/> are in ggml order (fastest-varying first), the
/// reverse of PyTorch's shape; <see cref="Offset"/> is relative to the start of the data section.
/// </summary>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<long> Dimensions, GgufTensorType Type, long Offset)
{
    public long ElementCount => Dimensions.Aggregate(1L, (a, b) => a * b);

    public long ByteCount => ElementCount * Type switch
    {
        GgufTensorType.F32 => 4,
        GgufTensorType.F16 => 2,
        _ => throw new NotSupportedException($"tensor '{Name}' has ggml type {(uint)Type}; only F32 and F16 are supported."),
    };

    /// <summary>The PyTorch shape (slowest-varying first).</summary>
    public long[] Shape => Dimensions.Reverse().ToArray();
}
