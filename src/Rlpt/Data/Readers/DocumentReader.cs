using Parquet;

namespace Rlpt.Data.Readers;

/// <summary>
/// Streams documents from files, folders and globs of .txt/.md (one document per file), .jsonl (one per line) and
/// .parquet (one per row), each but Parquet optionally gzip-compressed (told by the gzip magic bytes, whatever the
/// extension). Bad input never stops an import: it is skipped and counted in the <see cref="ImportReport"/>; only
/// when no document at all came out is an <see cref="InvalidDataException"/> thrown, after the last file.
/// Memory is bounded by one document (one Parquet row group), never the corpus.
/// </summary>
public static class DocumentReader
{
    public static IEnumerable<Document> Read(IEnumerable<string> inputs, ReaderOptions options, ImportReport report)
    {
        var given = inputs.ToList();
        var description = given.Count <= 3 ? string.Join(", ", given) : $"{string.Join(", ", given.Take(3))} and {given.Count - 3} more";
        return Read(InputResolver.Resolve(given, options.Source), options, report, description);
    }

    private static IEnumerable<Document> Read(IReadOnlyList<InputFile> files, ReaderOptions options, ImportReport report, string description)
    {
        var before = report.Documents;
        foreach (var file in files)
        {
            // Iterators cannot yield inside try/catch, so each step of a file's reader is guarded on its own:
            // a file that fails midway keeps the documents it gave and is counted as unreadable.
            using var documents = ReadFile(file, options, report).GetEnumerator();
            while (true)
            {
                try
                {
                    if (!documents.MoveNext()) break;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ParquetException or NotSupportedException)
                {
                    report.Record(ImportProblem.Unreadable, file.Name, e.Message);
                    break;
                }
                report.Accept(documents.Current);
                yield return documents.Current;
            }
        }
        if (report.Documents == before) throw new InvalidDataException($"no usable documents in {description}: {report}");
    }

    private static IEnumerable<Document> ReadFile(InputFile file, ReaderOptions options, ImportReport report)
    {
        var format = InputFormats.Of(file.Path);
        if (format == InputFormat.Unknown)
        {
            report.Record(ImportProblem.UnknownFormat, file.Name, $"unknown extension \"{Path.GetExtension(file.Path)}\"");
            yield break;
        }
        report.FileOpened();
        if (format == InputFormat.Parquet)
        {
            foreach (var document in ParquetDocumentReader.Read(file, options, report)) yield return document;
            yield break;
        }
        using var stream = InputStreams.Open(file.Path);
        var documents = format == InputFormat.Text
            ? TextFileReader.Read(file, stream, options, report)
            : JsonLinesReader.Read(file, stream, options, report);
        foreach (var document in documents) yield return document;
    }
}
