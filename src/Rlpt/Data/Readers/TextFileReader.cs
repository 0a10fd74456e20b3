namespace Rlpt.Data.Readers;

/// <summary>A .txt or .md file (optionally gzip-compressed) as one document.</summary>
internal static class TextFileReader
{
    public static IEnumerable<Document> Read(InputFile file, Stream stream, ReaderOptions options, ImportReport report)
    {
        var bytes = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (bytes.Length + read > options.MaxDocumentBytes)
            {
                report.Record(ImportProblem.Oversized, file.Name, $"larger than {options.MaxDocumentBytes} bytes");
                yield break;
            }
            bytes.Write(chunk, 0, read);
        }
        var content = bytes.GetBuffer().AsSpan(0, (int)bytes.Length);
        if (BinarySniffer.LooksBinary(content))
        {
            report.Record(ImportProblem.BinaryFile, file.Name, "looks binary");
            yield break;
        }
        var text = Utf8Text.Decode(content, out var repaired);
        if (string.IsNullOrWhiteSpace(text))
        {
            report.Record(ImportProblem.Empty, file.Name, "empty file");
            yield break;
        }
        if (repaired) report.Record(ImportProblem.RepairedUtf8, file.Name, "invalid UTF-8 replaced by U+FFFD");
        yield return new Document(file.Source, file.Name, text);
    }
}
