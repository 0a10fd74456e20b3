using Rlpt.Data;
using Rlpt.Data.Readers;

namespace Rlpt.Tests.Data.Readers;

public class DocumentReaderBadInputTests
{
    [Fact]
    public void BadInputIsSkippedAndCountedWhileGoodDocumentsComeThrough()
    {
        using var dir = new TestDirectory();
        ReaderFiles.Write(dir.File("in/good.txt"), "good text");
        ReaderFiles.Write(dir.File("in/latin1.txt"), [(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'!']);
        ReaderFiles.Write(dir.File("in/image.txt"), [0x89, (byte)'P', (byte)'N', (byte)'G', 0, 0, 0, 13, 1, 2]);
        ReaderFiles.Write(dir.File("in/empty.md"), " \n\n");
        ReaderFiles.Write(dir.File("in/notes.docx"), "not read");
        ReaderFiles.Write(dir.File("in/broken.parquet"), "PAR1 but not really");
        ReaderFiles.Write(dir.File("in/big.txt"), new string('x', 2000));
        ReaderFiles.Write(dir.File("in/data.jsonl"), string.Join('\n',
            "{\"text\":\"one\"}",
            "{\"text\": broken",
            "",
            "{\"title\":\"no text\"}",
            "{\"text\":42}",
            "[1,2]",
            "{\"text\":\"" + new string('y', 2000) + "\"}",
            "{\"text\":\"two\"}"));
        ReaderFiles.Write(dir.File("in/bad-utf8.jsonl"), [.. "{\"text\":\"ok "u8, 0xFF, .. "\"}\n"u8]);
        var report = new ImportReport();

        var documents = DocumentReader.Read([dir.File("in")], new ReaderOptions { MaxDocumentBytes = 1000 }, report).ToList();

        Assert.Equal(["ok \uFFFD", "one", "two", "good text", "caf\uFFFD!"], documents.Select(d => d.Text));
        Assert.Equal(2, report.Count(ImportProblem.RepairedUtf8));
        Assert.Equal(1, report.Count(ImportProblem.BinaryFile));
        Assert.Equal(2, report.Count(ImportProblem.Empty)); // empty.md and the blank line
        Assert.Equal(2, report.Count(ImportProblem.InvalidJson)); // broken line and the array
        Assert.Equal(2, report.Count(ImportProblem.MissingTextField)); // no field and a number
        Assert.Equal(2, report.Count(ImportProblem.Oversized)); // big.txt and the long line
        Assert.Equal(1, report.Count(ImportProblem.UnknownFormat));
        Assert.Equal(1, report.Count(ImportProblem.Unreadable));
        Assert.StartsWith("broken.parquet: ", report.Examples(ImportProblem.Unreadable)[0]);
        Assert.Equal(8, report.FilesRead); // all but the .docx
        Assert.Equal(5, report.Documents);
        Assert.Equal("in", Assert.Single(report.Sources).Key);
        Assert.Equal(5, report.Sources["in"].Documents);
        Assert.Equal(documents.Sum(d => System.Text.Encoding.UTF8.GetByteCount(d.Text)), report.Sources["in"].Bytes);
        Assert.StartsWith("data.jsonl:2: invalid JSON", report.Examples(ImportProblem.InvalidJson)[0]);
        Assert.Equal("data.jsonl:6: invalid JSON (a Array, not an object)", report.Examples(ImportProblem.InvalidJson)[1]);
        Assert.Equal(["data.jsonl:4: no string field \"text\"", "data.jsonl:5: no string field \"text\""], report.Examples(ImportProblem.MissingTextField));
    }

    [Fact]
    public void ExamplesAreCappedButCountsAreNot()
    {
        using var dir = new TestDirectory();
        var path = ReaderFiles.Write(dir.File("x.jsonl"), string.Concat(Enumerable.Repeat("nope\n", 10)) + "{\"text\":\"fine\"}\n");
        var report = new ImportReport(maxExamplesPerProblem: 3);

        Assert.Single(DocumentReader.Read([path], new ReaderOptions(), report));
        Assert.Equal(10, report.Count(ImportProblem.InvalidJson));
        Assert.Equal(3, report.Examples(ImportProblem.InvalidJson).Count);
    }

    [Fact]
    public void CorruptGzipKeepsEarlierDocumentsAndCountsTheFileUnreadable()
    {
        using var dir = new TestDirectory();
        var lines = string.Concat(Enumerable.Range(0, 5000).Select(i => $"{{\"text\":\"document {i} {Guid.NewGuid()}\"}}\n"));
        var path = ReaderFiles.WriteGzip(dir.File("corrupt.jsonl.gz"), lines);
        var bytes = File.ReadAllBytes(path);
        Array.Fill(bytes, (byte)0xFF, bytes.Length / 2, 200);
        File.WriteAllBytes(path, bytes);
        var report = new ImportReport();

        var documents = DocumentReader.Read([path], new ReaderOptions(), report).ToList();

        Assert.InRange(documents.Count, 1, 4999);
        Assert.Equal(1, report.Count(ImportProblem.Unreadable));
    }

    [Fact]
    public void NothingUsableThrowsWithWhatWasSkipped()
    {
        using var dir = new TestDirectory();
        ReaderFiles.Write(dir.File("junk/a.bin.txt"), [0, 1, 2, 3]);
        ReaderFiles.Write(dir.File("junk/b.txt"), [0, 0]);
        ReaderFiles.Write(dir.File("junk/c.md"), "");

        var error = Assert.Throws<InvalidDataException>(() => DocumentReader.Read([dir.File("junk")], new ReaderOptions(), new ImportReport()).ToList());

        Assert.Contains("no usable documents in", error.Message);
        Assert.Contains("from 3 files; 2 binary, 1 empty", error.Message);
    }

    [Fact]
    public void MissingInputsAreUsageErrors()
    {
        using var dir = new TestDirectory();
        Assert.Throws<FileNotFoundException>(() => DocumentReader.Read([dir.File("nope.txt")], new ReaderOptions(), new ImportReport()).ToList());
        Assert.Throws<FileNotFoundException>(() => DocumentReader.Read([dir.File("*.jsonl")], new ReaderOptions(), new ImportReport()).ToList());
    }
}
