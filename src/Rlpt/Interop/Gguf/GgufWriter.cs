using System.Text;
using Rlpt.IO;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Interop.Gguf;

/// <summary>
/// Builds a GGUF v3 file: header, typed metadata, tensor infos, then each tensor's little-endian data at a
/// 32-byte aligned offset. Tensors are converted to their GGUF type only while being written, so a whole
/// converted copy of the model never sits in memory.
/// </summary>
public sealed class GgufWriter
{
    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly List<(string Name, Tensor Data, GgufTensorType Type)> _tensors = [];

    public void Add(string key, GgufValue value)
    {
        if (_metadata.Any(kv => kv.Key == key)) throw new ArgumentException($"GGUF metadata key '{key}' is set twice.", nameof(key));
        // The data layout depends on it, so the writer owns it.
        if (key == GgufFormat.AlignmentKey) throw new ArgumentException($"{key} is always {GgufFormat.DefaultAlignment}; the writer sets it.", nameof(key));
        if (value.Type == GgufValueType.Array && value.ElementType == GgufValueType.Array)
            throw new ArgumentException($"GGUF metadata '{key}': nested arrays are not supported.", nameof(value));
        _metadata.Add(new(key, value));
    }

    /// <summary>Adds a tensor (PyTorch layout); the caller keeps it alive until <see cref="Save"/> returns.</summary>
    public void AddTensor(string name, Tensor data, GgufTensorType type)
    {
        if (_tensors.Any(t => t.Name == name)) throw new ArgumentException($"GGUF tensor '{name}' is added twice.", nameof(name));
        _tensors.Add((name, data, type));
    }

    /// <summary>Writes the file atomically (temporary file, then a rename).</summary>
    public void Save(string path)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("GGUF writing needs a little-endian machine.");
        AtomicFile.Write(path, Write);
    }

    private void Write(Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        List<KeyValuePair<string, GgufValue>> metadata = [.. _metadata, new(GgufFormat.AlignmentKey, GgufValue.Of((uint)GgufFormat.DefaultAlignment))];
        writer.Write(GgufFormat.Magic);
        writer.Write(GgufFormat.Version);
        writer.Write((ulong)_tensors.Count);
        writer.Write((ulong)metadata.Count);
        foreach (var (key, value) in metadata)
        {
            WriteString(writer, key);
            writer.Write((uint)value.Type);
            WriteValue(writer, value.Type, value.Value, value.ElementType);
        }

        long offset = 0;
        foreach (var (name, data, type) in _tensors)
        {
            var info = new GgufTensorInfo(name, data.shape.Reverse().ToArray(), type, offset);
            WriteString(writer, name);
            writer.Write((uint)info.Dimensions.Count);
            foreach (var d in info.Dimensions) writer.Write((ulong)d);
            writer.Write((uint)type);
            writer.Write((ulong)offset);
            offset = GgufFormat.Align(offset + info.ByteCount, GgufFormat.DefaultAlignment);
        }

        // The data section starts aligned, so aligning absolute positions keeps every relative offset aligned too.
        writer.Flush();
        PadToAlignment(stream);
        foreach (var (_, data, type) in _tensors)
        {
            using (var scope = NewDisposeScope())
                SafeTensors.WriteData(stream, data.detach().cpu().to(type == GgufTensorType.F32 ? ScalarType.Float32 : ScalarType.Float16));
            PadToAlignment(stream);
        }
    }

    private static void PadToAlignment(Stream stream) =>
        stream.Write(new byte[GgufFormat.Align(stream.Position, GgufFormat.DefaultAlignment) - stream.Position]);

    private static void WriteValue(BinaryWriter writer, GgufValueType type, object value, GgufValueType elementType)
    {
        switch (type)
        {
            case GgufValueType.UInt8: writer.Write((byte)value); break;
            case GgufValueType.Int8: writer.Write((sbyte)value); break;
            case GgufValueType.UInt16: writer.Write((ushort)value); break;
            case GgufValueType.Int16: writer.Write((short)value); break;
            case GgufValueType.UInt32: writer.Write((uint)value); break;
            case GgufValueType.Int32: writer.Write((int)value); break;
            case GgufValueType.Float32: writer.Write((float)value); break;
            case GgufValueType.Bool: writer.Write((bool)value ? (byte)1 : (byte)0); break;
            case GgufValueType.String: WriteString(writer, (string)value); break;
            case GgufValueType.UInt64: writer.Write((ulong)value); break;
            case GgufValueType.Int64: writer.Write((long)value); break;
            case GgufValueType.Float64: writer.Write((double)value); break;
            case GgufValueType.Array:
                var items = (Array)value;
                writer.Write((uint)elementType);
                writer.Write((ulong)items.Length);
                foreach (var item in items) WriteValue(writer, elementType, item!, GgufValueType.UInt8);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "not a GGUF value type");
        }
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }
}
