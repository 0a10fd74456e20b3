namespace Rlpt.Data.Readers;

/// <summary>How inputs are turned into documents.</summary>
public sealed record ReaderOptions
{
    /// <summary>The JSON Lines field / Parquet column that holds the text; every other field becomes metadata.</summary>
    public string TextField { get; init; } = "text";

    /// <summary>
    /// The source name given to every document. When null, each input names its own source: a directory or glob
    /// input by its (top, wildcard-free) folder name; a .jsonl/.parquet file by its stem (<c>news.jsonl.gz</c> →
    /// <c>news</c>); a .txt/.md file, which holds a single document, by its folder's name so that a list of text
    /// files does not become one source per document.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>Documents (a whole text file, a JSON line, a Parquet value) larger than this many bytes are skipped and counted.</summary>
    public long MaxDocumentBytes { get; init; } = 50_000_000;
}
