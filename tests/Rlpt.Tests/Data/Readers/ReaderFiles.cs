using System.IO.Compression;
using System.Text;

namespace Rlpt.Tests.Data.Readers;

/// <summary>Writes test inputs: plain or gzip-compressed bytes.</summary>
internal static class ReaderFiles
{
    public static string Write(string path, string text) => Write(path, Encoding.UTF8.GetBytes(text));

    public static string Write(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static string WriteGzip(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(text));
        return path;
    }
}
