using Parquet;
using Parquet.Schema;
using Rlpt.Data;
using Rlpt.Data.Readers;

namespace Rlpt.Tests.Data.Readers;

public class DocumentReaderFormatTests
{
    private const string JsonLines =
        "{\"text\":\"first line\",\"id\":7,\"score\":0.5,\"ok\":true,\"lang\":\"fr\",\"tags\":[\"a\", \"é\"],\"meta\":{\"k\": 1},\"gone\":null}\n"
        + "{\"id\":8,\"text\":\"second\\nline\"}\r\n";

    private static List<Document> Read(params string[] inputs) => [.. DocumentReader.Read(inputs, new ReaderOptions(), new ImportReport())];

    [Fact]
    public void TextAndMarkdownFilesAreOneDocumentEachNamedByFileAndSourcedByFolder()
    {
        using var dir = new TestDirectory();
        ReaderFiles.Write(dir.File("wiki/b.md"), "# Title\n\nBody.");
        ReaderFiles.Write(dir.File("wiki/a.txt"), "\uFEFFHello, world.\n");
        ReaderFiles.WriteGzip(dir.File("wiki/sub/c.txt.gz"), "Zipped text.");

        var documents = Read(dir.File("wiki"));

        Assert.Equal(["a.txt", "b.md", "sub/c.txt.gz"], documents.Select(d => d.Name));
        Assert.Equal(["Hello, world.\n", "# Title\n\nBody.", "Zipped text."], documents.Select(d => d.Text));
        Assert.All(documents, d => Assert.Equal("wiki", d.Source));
        Assert.Equal("wiki", Read(dir.File("wiki/a.txt")).Single().Source);
    }

    [Fact]
    public void JsonLinesKeepOtherFieldsAsStringMetadata()
    {
        using var dir = new TestDirectory();
        var path = ReaderFiles.Write(dir.File("news.jsonl"), JsonLines);

        var documents = Read(path);

        Assert.Equal(["first line", "second\nline"], documents.Select(d => d.Text));
        Assert.Equal(["news.jsonl:1", "news.jsonl:2"], documents.Select(d => d.Name));
        Assert.All(documents, d => Assert.Equal("news", d.Source));
        Assert.Equal(new Dictionary<string, string>
        {
            ["id"] = "7", ["score"] = "0.5", ["ok"] = "true", ["lang"] = "fr", ["tags"] = "[\"a\",\"é\"]", ["meta"] = "{\"k\":1}",
        }, documents[0].Metadata);
        Assert.Equal(new Dictionary<string, string> { ["id"] = "8" }, documents[1].Metadata);
    }

    [Fact]
    public void GzipIsDetectedByExtensionAndByMagicBytes()
    {
        using var dir = new TestDirectory();
        ReaderFiles.WriteGzip(dir.File("a.jsonl.gz"), JsonLines);
        ReaderFiles.WriteGzip(dir.File("b.md.gz"), "markdown");
        ReaderFiles.WriteGzip(dir.File("c.jsonl"), JsonLines); // compressed without saying so

        var documents = Read(dir.File("a.jsonl.gz"), dir.File("b.md.gz"), dir.File("c.jsonl"));

        Assert.Equal(["first line", "second\nline", "markdown", "first line", "second\nline"], documents.Select(d => d.Text));
        Assert.Equal(["a.jsonl.gz:1", "a.jsonl.gz:2", "b.md.gz", "c.jsonl:1", "c.jsonl:2"], documents.Select(d => d.Name));
        Assert.Equal(["a", "c"], documents.Where(d => d.Name.Contains(':')).Select(d => d.Source).Distinct());
        Assert.Equal("7", documents[3].Metadata!["id"]);
    }

    [Fact]
    public async Task ParquetRowsAreDocumentsWithScalarColumnsAsMetadata()
    {
        using var dir = new TestDirectory();
        var path = dir.File("web.parquet");
        var text = new DataField<string>("content");
        var id = new DataField<long>("id");
        var score = new DataField<double?>("score");
        await using (var stream = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(text, id, score), stream))
        {
            // Two row groups, to read across them.
            foreach (var (texts, ids, scores) in new[] { (new[] { "row zero", "row one" }, new long[] { 10, 11 }, new double?[] { 0.25, null }), (["row two"], [12], [1.5]) })
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(text, texts);
                await group.WriteAsync<long>(id, ids.AsMemory());
                await group.WriteAsync<double>(score, scores.AsMemory());
            }
        }

        var documents = DocumentReader.Read([path], new ReaderOptions { TextField = "content", Source = "crawl" }, new ImportReport()).ToList();

        Assert.Equal(["row zero", "row one", "row two"], documents.Select(d => d.Text));
        Assert.Equal(["web.parquet:0", "web.parquet:1", "web.parquet:2"], documents.Select(d => d.Name));
        Assert.All(documents, d => Assert.Equal("crawl", d.Source));
        Assert.Equal(new Dictionary<string, string> { ["id"] = "10", ["score"] = "0.25" }, documents[0].Metadata);
        Assert.Equal(new Dictionary<string, string> { ["id"] = "11" }, documents[1].Metadata);
        Assert.Equal(new Dictionary<string, string> { ["id"] = "12", ["score"] = "1.5" }, documents[2].Metadata);
    }

    [Fact]
    public void GlobsMatchWithinAndAcrossFolders()
    {
        using var dir = new TestDirectory();
        ReaderFiles.Write(dir.File("corpus/a.txt"), "a");
        ReaderFiles.Write(dir.File("corpus/b.md"), "b");
        ReaderFiles.Write(dir.File("corpus/deep/er/c.txt"), "c");
        ReaderFiles.Write(dir.File("corpus/d1.txt"), "d");

        Assert.Equal(["a", "d"], Read(dir.File("corpus/*.txt")).Select(d => d.Text));
        Assert.Equal(["a", "d"], Read(dir.File("corpus/?*.txt")).Select(d => d.Text));
        Assert.Equal(["d"], Read(dir.File("corpus/d?.txt")).Select(d => d.Text));
        Assert.Equal(["a", "d", "c"], Read(dir.File("corpus/**/*.txt")).Select(d => d.Text)); // ordinal: d1.txt < deep/
        Assert.All(Read(dir.File("corpus/**/*.txt")), d => Assert.Equal("corpus", d.Source));
        Assert.Equal("deep/er/c.txt", Read(dir.File("corpus/**/c.txt")).Single().Name);
    }

    [Fact]
    public void TextDocumentsReadsThroughTheSameReaders()
    {
        using var dir = new TestDirectory();
        ReaderFiles.Write(dir.File("books/a.txt"), "alpha");
        ReaderFiles.Write(dir.File("books/b.jsonl"), "{\"text\":\"beta\"}\n");

        var files = TextDocuments.ResolvePaths([dir.File("books")]);
        var documents = TextDocuments.Read(files).ToList();

        Assert.Equal(["alpha", "beta"], documents.Select(d => d.Text));
        Assert.Equal(["books", "b"], documents.Select(d => d.Source));
        Assert.Throws<FileNotFoundException>(() => TextDocuments.ResolvePaths([dir.File("missing")]));
    }
}
