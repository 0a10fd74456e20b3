namespace Rlpt.Interop.Gguf;

/// <summary>The ggml tensor types Rlpt writes (ggml's numbering; quantized types are not produced).</summary>
public enum GgufTensorType : uint
{
    F32 = 0,
    F16 = 1,
}
