using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using TorchSharp;

namespace Rlpt.Interop.HuggingFace;

/// <summary>
/// An open safetensors file whose header has been read and validated; tensor data is read on demand.
/// </summary>
public sealed class SafeTensorsFile : IDisposable
{
    /// <summary>Tensors are copied in slices of this many bytes, because spans over tensor memory are int-sized.</summary>
    internal const long ChunkBytes = 64L << 20;

    private readonly SafeFileHandle _handle;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafeTensorInfo> _byName;

    private SafeTensorsFile(string path, SafeFileHandle handle, long dataStart, List<SafeTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Path = path;
        _handle = handle;
        _dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public string Path { get; }

    /// <summary>The tensors in the order their data appears in the file.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IEnumerable<string> Names => Tensors.Select(t => t.Name);

    public bool Contains(string name) => _byName.ContainsKey(name);

    public SafeTensorInfo GetInfo(string name) =>
        _byName.TryGetValue(name, out var info)
            ? info
            : throw new KeyNotFoundException($"Safetensors file '{Path}' has no tensor '{name}'.");

    internal static SafeTensorsFile Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            var fileLength = RandomAccess.GetLength(handle);
            if (fileLength < 8)
                throw SafeTensorsHeader.Invalid(path, $"file is {fileLength} bytes, shorter than the 8-byte header length");

            Span<byte> prefix = stackalloc byte[8];
            ReadExactly(path, handle, prefix, 0);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)(fileLength - 8))
                throw SafeTensorsHeader.Invalid(path, $"header length {headerLength} runs past the end of the {fileLength}-byte file");
            if (headerLength > SafeTensorsHeader.MaxLength)
                throw SafeTensorsHeader.Invalid(path, $"header length {headerLength} exceeds the {SafeTensorsHeader.MaxLength}-byte limit");

            var header = new byte[headerLength];
            ReadExactly(path, handle, header, 8);
            var dataStart = 8 + (long)headerLength;
            var (tensors, metadata) = SafeTensorsHeader.Parse(path, header, fileLength - dataStart);
            return new SafeTensorsFile(path, handle, dataStart, tensors, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads one tensor onto the CPU. With <paramref name="convertTo"/>, floating-point tensors are converted to that
    /// type; integer and bool tensors keep their stored type, since converting ids or masks is never what a dtype
    /// choice for weights means.
    /// </summary>
    public torch.Tensor Read(string name, torch.ScalarType? convertTo = null)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        var info = GetInfo(name);
        using var scope = torch.NewDisposeScope();
        var tensor = torch.empty(info.Shape, info.ScalarType);
        var count = tensor.NumberOfElements;
        if (count > 0)
        {
            var flat = tensor.view(-1);
            var perChunk = Math.Max(1, ChunkBytes / tensor.ElementSize);
            var fileOffset = _dataStart + info.DataBegin;
            for (long start = 0; start < count; start += perChunk)
            {
                using var slice = flat.narrow(0, start, Math.Min(perChunk, count - start));
                var bytes = slice.bytes;
                ReadExactly(Path, _handle, bytes, fileOffset);
                fileOffset += bytes.Length;
            }
        }
        if (convertTo is { } target && target != info.ScalarType && SafeTensorsDType.IsFloatingPoint(info.ScalarType))
            tensor = tensor.to(target);
        return tensor.MoveToOuterDisposeScope();
    }

    public void Dispose() => _handle.Dispose();

    private static void ReadExactly(string path, SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        while (buffer.Length > 0)
        {
            var read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0)
                throw SafeTensorsHeader.Invalid(path, $"file ends early at byte {offset}");
            buffer = buffer[read..];
            offset += read;
        }
    }
}
