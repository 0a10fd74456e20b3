using System.Text;
using Rlpt.Data.Readers;

namespace Rlpt.Tests.Data.Readers;

public class DocumentReaderStreamingTests
{
    [Fact]
    public void TheFirstDocumentsComeBeforeTheFileIsRead()
    {
        using var dir = new TestDirectory();
        var path = dir.File("big.jsonl");
        var line = "{\"text\":\"" + new string('w', 1000) + "\"}\n";
        // ≈ 8 MB, with a bad last line: it is only counted once the reader gets to the end.
        File.WriteAllText(path, string.Concat(Enumerable.Repeat(line, 8000)) + "not JSON\n");
        var report = new ImportReport();

        var first = DocumentReader.Read([path], new ReaderOptions(), report).Take(3).ToList();

        Assert.Equal(["big.jsonl:1", "big.jsonl:2", "big.jsonl:3"], first.Select(d => d.Name));
        Assert.Equal(3, report.Documents);
        Assert.Equal(0, report.Count(ImportProblem.InvalidJson));

        Assert.Equal(8000, DocumentReader.Read([path], new ReaderOptions(), report).Count());
        Assert.Equal(1, report.Count(ImportProblem.InvalidJson));
    }

    [Fact]
    public void LinesLongerThanTheCapAreSkippedWithoutBufferingThem()
    {
        var text = "{\"text\":\"a\"}\n" + "{\"text\":\"" + new string('z', 300_000) + "\"}\n{\"text\":\"b\"}";
        var lines = new LineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), maxLineBytes: 100_000);
        var read = new List<(string, bool)>();
        while (lines.TryRead(out var line, out var oversized)) read.Add((Encoding.UTF8.GetString(line.Span), oversized));

        Assert.Equal([("{\"text\":\"a\"}", false), ("", true), ("{\"text\":\"b\"}", false)], read);
    }
}
