namespace Rlpt.Data.Readers;

/// <summary>What can be wrong with an input. All but <see cref="RepairedUtf8"/> mean something was skipped.</summary>
public enum ImportProblem
{
    /// <summary>Invalid UTF-8 was replaced by U+FFFD; the document was kept.</summary>
    RepairedUtf8,
    /// <summary>A file that looks binary (NUL bytes or many control characters near its start).</summary>
    BinaryFile,
    /// <summary>An empty or whitespace-only file, line or text value.</summary>
    Empty,
    /// <summary>A JSON line that does not parse, or is not an object.</summary>
    InvalidJson,
    /// <summary>A record whose text field is missing, null or not a string.</summary>
    MissingTextField,
    /// <summary>A document larger than <see cref="ReaderOptions.MaxDocumentBytes"/>.</summary>
    Oversized,
    /// <summary>A file whose extension is not a supported format.</summary>
    UnknownFormat,
    /// <summary>A file that could not be opened or read to its end (I/O error, corrupt gzip or Parquet).</summary>
    Unreadable,
}
