using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace Rlpt.Data.Store;

/// <summary>A memory-mapped file of fixed-size little-endian records (the document and segment indexes).</summary>
public sealed class RecordFile<T> : IDisposable where T : unmanaged
{
    private readonly MemoryMappedFile? map;
    private readonly MemoryMappedViewAccessor? view;
    private static readonly int Size = Marshal.SizeOf<T>();

    public long Count { get; }

    public RecordFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"index file not found: {path}", path);
        long length = new FileInfo(path).Length;
        if (length % Size != 0) throw new InvalidDataException($"{path}: size {length} is not a whole number of {Size}-byte records (truncated file?).");
        Count = length / Size;
        if (length == 0) return;
        map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
    }

    public T this[long index]
    {
        get
        {
            if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), $"record {index} outside [0, {Count}).");
            view!.Read(index * Size, out T record);
            return record;
        }
    }

    public static void Append(BinaryWriter writer, T record) =>
        writer.Write(MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref record, 1)));

    public void Dispose()
    {
        view?.Dispose();
        map?.Dispose();
    }
}
