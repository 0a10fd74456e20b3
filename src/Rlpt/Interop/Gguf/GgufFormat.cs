namespace Rlpt.Interop.Gguf;

/// <summary>Constants of the GGUF v3 container (llama.cpp's ggml/docs/gguf.md).</summary>
public static class GgufFormat
{
    /// <summary>"GGUF" read as a little-endian uint32.</summary>
    public const uint Magic = 0x46554747;

    public const uint Version = 3;

    /// <summary>The alignment readers assume when general.alignment is absent; Rlpt always writes this one.</summary>
    public const int DefaultAlignment = 32;

    public const string AlignmentKey = "general.alignment";

    public static long Align(long offset, int alignment) => (offset + alignment - 1) / alignment * alignment;
}
