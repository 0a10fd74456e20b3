using System.Diagnostics.CodeAnalysis;
using TorchSharp;

namespace Rlpt.Interop.HuggingFace;

/// <summary>The safetensors dtype names we support and their TorchSharp equivalents.</summary>
internal static class SafeTensorsDType
{
    private static readonly (string Name, torch.ScalarType Type, int Size)[] Table =
    [
        ("F64", torch.ScalarType.Float64, 8),
        ("F32", torch.ScalarType.Float32, 4),
        ("F16", torch.ScalarType.Float16, 2),
        ("BF16", torch.ScalarType.BFloat16, 2),
        ("I64", torch.ScalarType.Int64, 8),
        ("I32", torch.ScalarType.Int32, 4),
        ("I16", torch.ScalarType.Int16, 2),
        ("I8", torch.ScalarType.Int8, 1),
        ("U8", torch.ScalarType.Byte, 1),
        ("BOOL", torch.ScalarType.Bool, 1),
    ];

    public static bool TryParse(string name, out torch.ScalarType type, out int size)
    {
        foreach (var entry in Table)
        {
            if (entry.Name == name)
            {
                (type, size) = (entry.Type, entry.Size);
                return true;
            }
        }
        (type, size) = (default, 0);
        return false;
    }

    public static bool TryGetName(torch.ScalarType type, [NotNullWhen(true)] out string? name)
    {
        foreach (var entry in Table)
        {
            if (entry.Type == type)
            {
                name = entry.Name;
                return true;
            }
        }
        name = null;
        return false;
    }

    public static bool IsFloatingPoint(torch.ScalarType type) =>
        type is torch.ScalarType.Float64 or torch.ScalarType.Float32 or torch.ScalarType.Float16 or torch.ScalarType.BFloat16;
}
