namespace Rlpt.IO;

/// <summary>
/// Paths a caller (e.g. an HTTP client asking for a weight update) names, resolved to real paths and confined under a
/// root directory: <c>..</c> and symbolic links are followed first, so neither can lead outside it. Read the returned
/// path, not the one given, so that what is checked is what is opened.
/// </summary>
public static class ConfinedPath
{
    private const int MaxLinks = 40;

    /// <summary>The real path of <paramref name="path"/> (relative paths are taken under <paramref name="root"/>).</summary>
    /// <exception cref="UnauthorizedAccessException">The path resolves outside the root.</exception>
    public static string Resolve(string root, string path)
    {
        var realRoot = RealPath(root);
        var real = RealPath(Path.Combine(realRoot, path));
        bool inside = real == realRoot || real.StartsWith(realRoot.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        if (!inside) throw new UnauthorizedAccessException($"'{path}' is outside the allowed root {realRoot}.");
        return real;
    }

    /// <summary>The absolute path with every symbolic link along it followed (as POSIX realpath; missing parts are kept as named).</summary>
    public static string RealPath(string path)
    {
        // Not GetFullPath: it would fold "a/link/.." to "a" before the link is followed, which the file system does not.
        var absolute0 = Path.IsPathRooted(path) ? path : Path.Combine(Environment.CurrentDirectory, path);
        var pending = new List<string>(Parts(absolute0));
        string root = Path.GetPathRoot(absolute0)!;
        string current = root;
        int links = 0;
        while (pending.Count > 0)
        {
            var part = pending[0];
            pending.RemoveAt(0);
            if (part == ".") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }
            var candidate = Path.Combine(current, part);
            FileSystemInfo entry = Directory.Exists(candidate) ? new DirectoryInfo(candidate) : new FileInfo(candidate);
            if (entry.LinkTarget is not { } target)
            {
                current = candidate;
                continue;
            }
            if (++links > MaxLinks) throw new IOException($"too many levels of symbolic links in '{path}'.");
            // The link's target replaces it, relative to the directory that holds the link.
            var absolute = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
            root = Path.GetPathRoot(absolute) ?? root;
            current = root;
            pending.InsertRange(0, Parts(absolute));
        }
        return current;
    }

    private static string[] Parts(string absolute) =>
        absolute[(Path.GetPathRoot(absolute)?.Length ?? 0)..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
