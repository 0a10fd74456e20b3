using System.Text;

namespace Rlpt.Dashboard;

/// <summary>
/// Reads a JSON Lines file that another process is appending to, from a byte offset: only whole lines (ending in
/// '\n') are returned, so a line half-written at the time of reading is left for the next read rather than torn.
/// The reply's offset is where the next read starts; a file that shrank (rewritten on resume) starts over from 0.
/// </summary>
public static class JsonLinesTail
{
    public const int MaxBytesPerRead = 4 << 20;

    public sealed record Chunk(long Offset, IReadOnlyList<string> Lines, bool Restarted);

    public static Chunk Read(string path, long offset)
    {
        if (!File.Exists(path)) return new Chunk(0, [], offset > 0);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        bool restarted = offset < 0 || offset > stream.Length;
        if (restarted) offset = 0;
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[(int)Math.Min(MaxBytesPerRead, stream.Length - offset)];
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        int end = Array.LastIndexOf(buffer, (byte)'\n', Math.Max(0, read - 1));
        if (read == 0 || end < 0) return new Chunk(offset, [], restarted);
        var lines = Encoding.UTF8.GetString(buffer, 0, end + 1).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Chunk(offset + end + 1, lines, restarted);
    }
}
