namespace Rlpt.IO;

/// <summary>
/// Writes files and directories so that a crash leaves either the old or the new content, never a torn mix.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> through a temp file in the same directory, then renames it over the target. The
    /// stream is readable and seekable too: some writers (PureHDF's) read back what they wrote.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        // Same directory so the final rename stays on one file system and is atomic.
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDeleteFile(temp);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, leaveOpen: true);
            writer.Write(text);
        });

    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, s => s.Write(bytes));
    }

    /// <summary>
    /// Puts the fully written <paramref name="tempDir"/> in place of <paramref name="finalDir"/>.
    /// The old directory is renamed to a backup first and deleted only after the new one is in place,
    /// so at every instant at least one complete copy exists on disk.
    /// </summary>
    public static void ReplaceDirectory(string tempDir, string finalDir)
    {
        var source = Path.TrimEndingDirectorySeparator(Path.GetFullPath(tempDir));
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(finalDir));
        if (!Directory.Exists(source))
            throw new DirectoryNotFoundException($"ReplaceDirectory: source directory '{source}' does not exist.");
        if (string.Equals(source, target, StringComparison.Ordinal))
            throw new ArgumentException($"ReplaceDirectory: source and target are the same directory '{source}'.");

        if (!Directory.Exists(target))
        {
            Directory.Move(source, target);
            return;
        }

        var backup = $"{target}.old-{Guid.NewGuid():N}";
        Directory.Move(target, backup);
        try
        {
            Directory.Move(source, target);
        }
        catch
        {
            Directory.Move(backup, target);
            throw;
        }
        Directory.Delete(backup, recursive: true);
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error matters more than a leftover temp file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
