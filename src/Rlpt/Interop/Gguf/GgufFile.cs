using System.Text;

namespace Rlpt.Interop.Gguf;

/// <summary>
/// A GGUF file's header, metadata and tensor infos, read back for checks; tensor data is read on demand.
/// Only what Rlpt writes is understood in full (F32/F16 tensors); other tensor types are listed but not read.
/// </summary>
public sealed class GgufFile
{
    private GgufFile(string path, uint version, IReadOnlyDictionary<string, GgufValue> metadata, IReadOnlyList<GgufTensorInfo> tensors, long dataOffset)
    {
        Path = path;
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        DataOffset = dataOffset;
    }

    public string Path { get; }
    public uint Version { get; }
    public IReadOnlyDictionary<string, GgufValue> Metadata { get; }
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>Absolute file offset of the data section.</summary>
    public long DataOffset { get; }

    public static GgufFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"GGUF file not found: {path}", path);
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            if (reader.ReadUInt32() != GgufFormat.Magic) throw new InvalidDataException($"{path} is not a GGUF file (bad magic).");
            uint version = reader.ReadUInt32();
            if (version is < 2 or > GgufFormat.Version) throw new InvalidDataException($"{path}: GGUF version {version} is not supported (2-3).");
            long tensorCount = ReadCount(reader, "tensor count");
            long metadataCount = ReadCount(reader, "metadata count");
            var metadata = new Dictionary<string, GgufValue>(StringComparer.Ordinal);
            for (long i = 0; i < metadataCount; i++)
            {
                var key = ReadString(reader);
                var type = (GgufValueType)reader.ReadUInt32();
                if (!metadata.TryAdd(key, ReadValue(reader, type))) throw new InvalidDataException($"metadata key '{key}' appears twice");
            }
            var tensors = new List<GgufTensorInfo>();
            for (long i = 0; i < tensorCount; i++)
            {
                var name = ReadString(reader);
                uint dimensionCount = reader.ReadUInt32();
                if (dimensionCount > 4) throw new InvalidDataException($"tensor '{name}' has {dimensionCount} dimensions (ggml allows 4)");
                var dimensions = Enumerable.Range(0, (int)dimensionCount).Select(_ => ReadCount(reader, "dimension")).ToArray();
                var type = (GgufTensorType)reader.ReadUInt32();
                tensors.Add(new GgufTensorInfo(name, dimensions, type, ReadCount(reader, "tensor offset")));
            }
            int alignment = !metadata.TryGetValue(GgufFormat.AlignmentKey, out var a) ? GgufFormat.DefaultAlignment
                : a.Value is uint value && value is > 0 and <= 1 << 20 ? (int)value
                : throw new InvalidDataException($"{GgufFormat.AlignmentKey} must be a positive uint32 (got {a.Type} {a.Value})");
            long dataOffset = GgufFormat.Align(stream.Position, alignment);
            foreach (var t in tensors.Where(t => t.Type is GgufTensorType.F32 or GgufTensorType.F16))
                if (t.Offset % alignment != 0 || dataOffset + t.Offset + t.ByteCount > stream.Length)
                    throw new InvalidDataException($"tensor '{t.Name}' lies outside the file or off the {alignment}-byte alignment");
            return new GgufFile(path, version, metadata, tensors, dataOffset);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: GGUF file is truncated.");
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: {e.Message}.", e);
        }
    }

    public GgufTensorInfo Tensor(string name) =>
        Tensors.FirstOrDefault(t => t.Name == name) ?? throw new KeyNotFoundException($"{Path} has no tensor '{name}'.");

    /// <summary>A tensor's values as float32, flattened in PyTorch (row-major) order.</summary>
    public float[] ReadTensor(string name)
    {
        var info = Tensor(name);
        using var stream = File.OpenRead(Path);
        stream.Position = DataOffset + info.Offset;
        var bytes = new byte[info.ByteCount];
        stream.ReadExactly(bytes);
        return info.Type switch
        {
            GgufTensorType.F32 => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray(),
            GgufTensorType.F16 => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(bytes).ToArray().Select(h => (float)h).ToArray(),
            _ => throw new NotSupportedException($"tensor '{name}' has ggml type {(uint)info.Type}; only F32 and F16 are read."),
        };
    }

    private static GgufValue ReadValue(BinaryReader reader, GgufValueType type)
    {
        if (type != GgufValueType.Array) return new GgufValue(type, ReadScalar(reader, type));
        var elementType = (GgufValueType)reader.ReadUInt32();
        long count = ReadCount(reader, "array length");
        var items = Array.CreateInstance(ClrType(elementType), count);
        for (long i = 0; i < count; i++) items.SetValue(ReadScalar(reader, elementType), i);
        return new GgufValue(type, items, elementType);
    }

    private static object ReadScalar(BinaryReader reader, GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => reader.ReadByte(), GgufValueType.Int8 => reader.ReadSByte(), GgufValueType.UInt16 => reader.ReadUInt16(),
        GgufValueType.Int16 => reader.ReadInt16(), GgufValueType.UInt32 => reader.ReadUInt32(), GgufValueType.Int32 => reader.ReadInt32(),
        GgufValueType.Float32 => reader.ReadSingle(), GgufValueType.Bool => reader.ReadByte() != 0, GgufValueType.String => ReadString(reader),
        GgufValueType.UInt64 => reader.ReadUInt64(), GgufValueType.Int64 => reader.ReadInt64(), GgufValueType.Float64 => reader.ReadDouble(),
        _ => throw new InvalidDataException($"unknown metadata value type {(uint)type}"),
    };

    private static Type ClrType(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => typeof(byte), GgufValueType.Int8 => typeof(sbyte), GgufValueType.UInt16 => typeof(ushort),
        GgufValueType.Int16 => typeof(short), GgufValueType.UInt32 => typeof(uint), GgufValueType.Int32 => typeof(int),
        GgufValueType.Float32 => typeof(float), GgufValueType.Bool => typeof(bool), GgufValueType.String => typeof(string),
        GgufValueType.UInt64 => typeof(ulong), GgufValueType.Int64 => typeof(long), GgufValueType.Float64 => typeof(double),
        _ => throw new InvalidDataException($"unknown array element type {(uint)type}"),
    };

    private static string ReadString(BinaryReader reader)
    {
        long length = ReadCount(reader, "string length");
        return Encoding.UTF8.GetString(reader.ReadBytes((int)length) is { } bytes && bytes.Length == length ? bytes : throw new EndOfStreamException());
    }

    // Counts beyond the file's size can only come from a corrupt file; catching them here avoids huge allocations.
    private static long ReadCount(BinaryReader reader, string what)
    {
        ulong value = reader.ReadUInt64();
        if (value > (ulong)reader.BaseStream.Length) throw new InvalidDataException($"{what} {value} exceeds the file size");
        return (long)value;
    }
}
