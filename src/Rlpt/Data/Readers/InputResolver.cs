namespace Rlpt.Data.Readers;

/// <summary>
/// Turns inputs (files, folders searched recursively, glob patterns) into files in a stable order: inputs as given,
/// files of a folder or glob in ordinal path order. Files of every extension are listed; unknown ones are skipped
/// (and counted) when read.
/// </summary>
public static class InputResolver
{
    public static IReadOnlyList<InputFile> Resolve(IEnumerable<string> inputs, string? source = null)
    {
        var files = new List<InputFile>();
        var given = inputs.ToList();
        foreach (var input in given)
        {
            if (File.Exists(input))
            {
                var path = Path.GetFullPath(input);
                var own = InputFormats.Of(path) == InputFormat.Text ? FolderName(Path.GetDirectoryName(path)!) : InputFormats.Stem(path);
                files.Add(new InputFile(path, source ?? own, Path.GetFileName(path)));
            }
            else if (Directory.Exists(input)) files.AddRange(Below(input, source, _ => true));
            else if (GlobPattern.IsWild(input))
            {
                var glob = new GlobPattern(input);
                if (Directory.Exists(glob.Root)) files.AddRange(Below(glob.Root, source, glob.Matches, glob.Recursive));
            }
            else throw new FileNotFoundException($"input not found: {input}", input);
        }
        if (files.Count == 0) throw new FileNotFoundException($"no input files found in: {string.Join(", ", given)}");
        return files;
    }

    private static IEnumerable<InputFile> Below(string folder, string? source, Func<string, bool> matches, bool recursive = true)
    {
        var root = Path.GetFullPath(folder);
        var name = source ?? FolderName(root);
        return Directory.EnumerateFiles(root, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Select(path => (path, relative: Path.GetRelativePath(root, path).Replace('\\', '/')))
            .Where(file => matches(file.relative))
            .OrderBy(file => file.relative, StringComparer.Ordinal)
            .Select(file => new InputFile(file.path, name, file.relative));
    }

    private static string FolderName(string folder) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))) is { Length: > 0 } name ? name : "root";
}
