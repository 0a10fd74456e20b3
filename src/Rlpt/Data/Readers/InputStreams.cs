using System.IO.Compression;

namespace Rlpt.Data.Readers;

/// <summary>Opens an input for sequential reading, decompressing it when it starts with the gzip magic bytes.</summary>
internal static class InputStreams
{
    public static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Span<byte> magic = stackalloc byte[2];
        var compressed = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        file.Position = 0;
        return compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}
