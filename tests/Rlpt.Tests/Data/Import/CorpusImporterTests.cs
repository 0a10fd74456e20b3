using System.Text.Json;
using Rlpt.Data;
using Rlpt.Data.Cleaning;
using Rlpt.Data.Import;
using Rlpt.Data.Readers;
using Rlpt.Data.Store;
using Rlpt.Telemetry;

namespace Rlpt.Tests.Data.Import;

public sealed class CorpusImporterTests
{
    private static string Paragraph(int i) =>
        $"Report number {i} describes the harbor at dawn. The fishermen counted {i * 3} boats before noon. " +
        $"Nobody expected the storm that came on day {i}. Mr. Hale said the nets were ready by 5 p.m. that evening.";

    private static CorpusImportOptions Options(string? evaluation = null) => new()
    {
        // Short test documents: the web-text quality rules would reject them all.
        Cleaning = new CleaningOptions { Quality = null },
        VocabSize = 600,
        HeldOutFraction = 0.2,
        EvaluationSets = evaluation is null ? [] : [evaluation],
        SourceWeights = new Dictionary<string, double> { ["news"] = 3.0 },
    };

    [Fact]
    public void ImportsMixedInputsIntoASegmentedDatasetWithAReport()
    {
        using var dir = new TestDirectory();
        Directory.CreateDirectory(dir.File("in"));
        File.WriteAllLines(dir.File("in/news.jsonl"), Enumerable.Range(0, 40).Select(i => JsonSerializer.Serialize(new { text = Paragraph(i), id = i }))
            .Append("{not json").Append(JsonSerializer.Serialize(new { text = Paragraph(3), id = 99 }))); // an exact duplicate
        File.WriteAllText(dir.File("in/story.txt"), "Once upon a time there was a lighthouse. It stood alone on the cliff.\n\nThe keeper lit it every night.");
        File.WriteAllBytes(dir.File("in/blob.txt"), [0, 1, 2, 0, 5]);
        // An evaluation text that copies 13+ words of document 7.
        File.WriteAllText(dir.File("eval.txt"), "Quiz: " + Paragraph(7)[..120]);

        var result = new CorpusImporter(Options(dir.File("eval.txt")), NullProgressSink.Instance)
            .Import(new ImportInputs(report => DocumentReader.Read([dir.File("in/news.jsonl"), dir.File("in/story.txt"), dir.File("in/blob.txt")], new ReaderOptions(), report)), dir.File("ds"));

        Assert.Equal(1, result.Report.Count(ImportProblem.InvalidJson));
        Assert.Equal(1, result.Report.Count(ImportProblem.BinaryFile));
        Assert.Equal(1, result.Report.Cleaning.ExactDuplicates);
        var dropped = Assert.Single(result.Contaminated, c => c.Name.EndsWith(":8")); // jsonl lines count from 1
        Assert.Contains("harbor at dawn", dropped.SharedNGram);
        using var data = TokenDataset.Open(dir.File("ds"));
        Assert.Equal("sentence", data.Meta.Segmentation);
        // 40 news lines + 1 duplicate + 1 story, less the duplicate and the contaminated ones.
        Assert.Equal(42 - 1 - result.Contaminated.Count, data.Meta.Train.Documents + data.Meta.Validation.Documents);
        Assert.Equal(3.0, data.Meta.Sources.Single(s => s.Name == "news").Weight);
        Assert.True(data.Meta.Validation.Documents > 0);
        // Sentences: four per news document, with "Mr." and "p.m." not ending one.
        var tokenizer = data.LoadTokenizer();
        var first = data.Train.Documents[0];
        Assert.Equal(4, first.SegmentCount);
        var lastSentence = data.Train.Segments[first.SegmentStart + 3];
        Assert.StartsWith(" Mr. Hale said", tokenizer.Decode(data.Train.ReadTokens(lastSentence.TokenStart, lastSentence.TokenCount)));
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("ds"), CorpusImporter.ReportFileName))).RootElement;
        Assert.Equal(result.Contaminated.Count, report.GetProperty("decontaminated").GetArrayLength());
    }

    [Fact]
    public void TokenWindowsCoverTheTextAtWordBoundaries()
    {
        var documents = Enumerable.Range(0, 30).Select(i => new Document("s", $"{i}", Paragraph(i))).ToArray();
        var tokenizer = TextDatasetPreparation.TrainTokenizer(documents, 400);
        var text = Paragraph(1) + " " + Paragraph(2);
        var windows = TokenWindows.Split(text, tokenizer, 12);
        Assert.True(windows.Count > 3);
        Assert.Equal(0, windows[0].Start);
        Assert.Equal(text.Length, windows[^1].End);
        foreach (var (start, end) in windows)
        {
            Assert.True(tokenizer.Encode(text[start..end]).Count <= 14, $"window '{text[start..end]}' is too long");
            Assert.True(start == 0 || char.IsWhiteSpace(text[start - 1]));
        }
        for (int i = 1; i < windows.Count; i++) Assert.True(string.IsNullOrWhiteSpace(text[windows[i - 1].End..windows[i].Start]));
    }

    [Fact]
    public void NothingUsableIsAClearError()
    {
        using var dir = new TestDirectory();
        File.WriteAllBytes(dir.File("blob.bin.txt"), [0, 0, 0]);
        var error = Assert.Throws<InvalidDataException>(() => new CorpusImporter(Options(), NullProgressSink.Instance)
            .Import(new ImportInputs(report => DocumentReader.Read([dir.File("blob.bin.txt")], new ReaderOptions(), report)), dir.File("ds")));
        Assert.Contains("no usable documents", error.Message);
        Assert.False(Directory.Exists(dir.File("ds")));
    }
}
