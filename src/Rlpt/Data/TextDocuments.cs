namespace Rlpt.Data;

/// <summary>
/// Plain-text inputs: files (.txt, .md), directories searched recursively for them, or glob patterns; one
/// document per file. The corpus pipeline adds richer formats; this is what pretraining needs at minimum.
/// </summary>
public static class TextDocuments
{
    private static readonly string[] Extensions = [".txt", ".md"];

    public static IReadOnlyList<string> ResolvePaths(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (File.Exists(input)) files.Add(Path.GetFullPath(input));
            else if (Directory.Exists(input))
                files.AddRange(Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Where(HasTextExtension).Order(StringComparer.Ordinal));
            else if (input.Contains('*') || input.Contains('?'))
            {
                var directory = Path.GetDirectoryName(input) is { Length: > 0 } d ? d : ".";
                if (Directory.Exists(directory))
                    files.AddRange(Directory.EnumerateFiles(directory, Path.GetFileName(input)).Order(StringComparer.Ordinal));
            }
            else throw new FileNotFoundException($"input not found: {input}", input);
        }
        if (files.Count == 0) throw new FileNotFoundException($"no text files found in: {string.Join(", ", inputs)}");
        return files;
    }

    public static IEnumerable<Document> Read(IEnumerable<string> files)
    {
        foreach (var file in files)
            yield return new Document(Path.GetFileName(Path.GetDirectoryName(file)) ?? "text", Path.GetFileName(file), File.ReadAllText(file));
    }

    private static bool HasTextExtension(string path) => Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);
}
