namespace Rlpt.Data.Readers;

/// <summary>The formats an input file can hold, told by its extension (a trailing .gz is looked through).</summary>
public enum InputFormat { Unknown, Text, JsonLines, Parquet }

internal static class InputFormats
{
    public static InputFormat Of(string path)
    {
        var name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        return Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".txt" or ".md" => InputFormat.Text,
            ".jsonl" => InputFormat.JsonLines,
            ".parquet" => InputFormat.Parquet,
            _ => InputFormat.Unknown,
        };
    }

    /// <summary>The file name without its format and compression extensions: news.jsonl.gz → news.</summary>
    public static string Stem(string path)
    {
        var name = Path.GetFileName(path);
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) name = name[..^3];
        return Path.GetFileNameWithoutExtension(name);
    }
}
