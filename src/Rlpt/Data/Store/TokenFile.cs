using System.IO.MemoryMappedFiles;

namespace Rlpt.Data.Store;

/// <summary>
/// A flat little-endian file of token ids (uint16 when the vocabulary fits, else uint32), read through a memory
/// map so a corpus larger than memory costs only the pages in use.
/// </summary>
public sealed class TokenFile : IDisposable
{
    private readonly MemoryMappedFile? map;
    private readonly MemoryMappedViewAccessor? view;

    public string Path { get; }
    public int BytesPerToken { get; }
    public long Count { get; }

    /// <summary>Ids at or above this are damage (a flipped bit, another dataset's file): refused when read.</summary>
    public int VocabSize { get; }

    public TokenFile(string path, int bytesPerToken, int vocabSize)
    {
        if (bytesPerToken is not (2 or 4)) throw new InvalidDataException($"{path}: {bytesPerToken} bytes per token (2 or 4 expected).");
        VocabSize = vocabSize;
        if (!File.Exists(path)) throw new FileNotFoundException($"token file not found: {path}", path);
        Path = path;
        BytesPerToken = bytesPerToken;
        long length = new FileInfo(path).Length;
        if (length % bytesPerToken != 0)
            throw new InvalidDataException($"{path}: size {length} is not a multiple of {bytesPerToken} bytes per token (truncated file?).");
        Count = length / bytesPerToken;
        if (length == 0) return; // an empty file cannot be mapped
        map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
    }

    /// <summary>Copies tokens [start, start + destination.Length) into destination.</summary>
    public void Read(long start, Span<long> destination)
    {
        if (start < 0 || start + destination.Length > Count)
            throw new ArgumentOutOfRangeException(nameof(start), $"tokens [{start}, {start + destination.Length}) outside [0, {Count}).");
        for (int i = 0; i < destination.Length; i++)
        {
            long offset = (start + i) * BytesPerToken;
            destination[i] = BytesPerToken == 2 ? view!.ReadUInt16(offset) : view!.ReadUInt32(offset);
            if (destination[i] >= VocabSize)
                throw new InvalidDataException($"{Path}: token {destination[i]} at position {start + i} is outside the vocabulary of {VocabSize} (a damaged file); re-import the dataset.");
        }
    }

    public static int BytesPerTokenFor(int vocabSize) => vocabSize <= ushort.MaxValue + 1 ? 2 : 4;

    public void Dispose()
    {
        view?.Dispose();
        map?.Dispose();
    }
}
