using TorchSharp;

namespace Rlpt.Interop.HuggingFace;

/// <summary>One tensor's entry in a safetensors header. Offsets are relative to the start of the data section.</summary>
public sealed record SafeTensorInfo(string Name, string DType, torch.ScalarType ScalarType, long[] Shape, long DataBegin, long DataEnd)
{
    public long ByteLength => DataEnd - DataBegin;
}
