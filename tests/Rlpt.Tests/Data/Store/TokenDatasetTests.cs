using Rlpt.Data;
using Rlpt.Data.Store;

namespace Rlpt.Tests.Data.Store;

public sealed class TokenDatasetTests
{
    // Sentence ranges found by a naive ". " splitter: enough to exercise the index without the real segmenter.
    private static IReadOnlyList<(int Start, int End)> NaiveSentences(string text)
    {
        var ranges = new List<(int, int)>();
        int start = 0;
        while (start < text.Length)
        {
            while (start < text.Length && char.IsWhiteSpace(text[start])) start++;
            if (start >= text.Length) break;
            int end = text.IndexOf(". ", start, StringComparison.Ordinal);
            end = end < 0 ? text.TrimEnd().Length : end + 1;
            ranges.Add((start, end));
            start = end;
        }
        return ranges;
    }

    [Fact]
    public void SegmentsTileEachDocumentsTokensAndDecodeToTheirText()
    {
        using var dir = new TestDirectory();
        Document[] documents =
        [
            new("news", "a", "The jury met.  It said no.\nThen it left. "),
            new("news", "b", "One more document. With two sentences."),
            new("fiction", "c", "  Leading space. Trailing too.   "),
            new("fiction", "d", "Short."),
        ];
        var tokenizer = TextDatasetPreparation.TrainTokenizer(documents, 300);
        var meta = TokenDatasetBuilder.Build(documents, tokenizer, dir.File("ds"), new DatasetBuildOptions
        {
            HeldOutFraction = 0.5, Segmenter = NaiveSentences, SegmentationName = "sentence",
            SourceWeights = new Dictionary<string, double> { ["fiction"] = 2.0 },
        });
        using var data = TokenDataset.Open(dir.File("ds"));
        Assert.Equal(4, data.Train.Documents.Count + data.Validation.Documents.Count);
        Assert.Equal("sentence", data.Meta.Segmentation);
        Assert.Equal(["news", "fiction"], data.Meta.Sources.Select(s => s.Name));
        Assert.Equal(2.0, data.Meta.Sources[1].Weight);
        Assert.Equal(meta.Train.Tokens + meta.Validation.Tokens, data.Meta.Sources.Sum(s => s.Train.Tokens + s.Validation.Tokens));

        var seen = new HashSet<string>();
        foreach (var split in new[] { data.Train, data.Validation })
        {
            for (int d = 0; d < split.Documents.Count; d++)
            {
                var document = split.Documents[d];
                var original = documents.Single(x => x.Text.Length == document.CharCount && data.Meta.Sources[document.SourceIndex].Name == x.Source);
                seen.Add(original.Name);
                long next = document.TokenStart;
                var ranges = NaiveSentences(original.Text);
                Assert.Equal(ranges.Count, document.SegmentCount);
                for (int s = 0; s < document.SegmentCount; s++)
                {
                    var segment = split.Segments[document.SegmentStart + s];
                    Assert.Equal(next, segment.TokenStart);
                    next += segment.TokenCount;
                    var text = original.Text.Substring(segment.CharStart, segment.CharLength);
                    Assert.Equal(original.Text[ranges[s].Start..ranges[s].End], text);
                    Assert.Equal(text, tokenizer.Decode(split.ReadTokens(segment.TokenStart, segment.TokenCount)).TrimStart());
                }
                Assert.Equal(document.TokenStart + document.TokenCount, next);
                Assert.Equal(tokenizer.EndOfTextId, split.ReadTokens(next, 1)[0]);
            }
        }
        Assert.Equal(4, seen.Count);
    }

    [Fact]
    public void CorruptOrMismatchedFilesAreRejectedClearly()
    {
        using var dir = new TestDirectory();
        Document[] documents = [.. Enumerable.Range(0, 30).Select(i => new Document("s", $"{i}", $"Document number {i} says hello."))];
        var tokenizer = TextDatasetPreparation.TrainTokenizer(documents, 280);
        TokenDatasetBuilder.Build(documents, tokenizer, dir.File("ds"), new DatasetBuildOptions { HeldOutFraction = 0.2 });
        using (var stream = new FileStream(Path.Combine(dir.File("ds"), "train.segments.bin"), FileMode.Open)) stream.SetLength(stream.Length - 3);
        Assert.Contains("train.segments.bin", Assert.Throws<InvalidDataException>(() => TokenDataset.Open(dir.File("ds"))).Message);
        Assert.Throws<FileNotFoundException>(() => TokenDataset.Open(dir.File("nothing")));
        var unknownSource = Assert.Throws<ArgumentException>(() => TokenDatasetBuilder.Build(documents, tokenizer, dir.File("ds2"),
            new DatasetBuildOptions { SourceWeights = new Dictionary<string, double> { ["missing"] = 1 } }));
        Assert.Contains("missing", unknownSource.Message);
        Assert.False(Directory.Exists(dir.File("ds2")), "a failed build must leave no dataset behind");
    }
}
