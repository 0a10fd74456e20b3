using Rlpt.Data;
using Rlpt.Data.Cleaning;

namespace Rlpt.Tests.Data.Cleaning;

public class CleaningPipelineTests
{
    private static string Prose(int seed) => string.Join(" ", Enumerable.Range(0, 80).Select(i => $"Sentence {seed} about topic {i * 7 + seed} goes here."));

    [Fact]
    public void StagesRunInOrderAndCountIntoTheReport()
    {
        var report = new CleaningReport();
        var pipeline = new CleaningPipeline(new CleaningOptions(), report);
        var near = Prose(1).Replace("topic 50 ", "subject 50 ");
        Document[] input =
        [
            new("s", "a", Prose(1) + "\r\n\r\n\r\n"),
            new("s", "b", "short"),
            new("s", "c", Prose(1).ToUpperInvariant()),
            new("s", "d", near),
            new("s", "e", Prose(2), new Dictionary<string, string> { ["k"] = "v" }),
        ];

        var kept = pipeline.Clean(input).ToList();

        Assert.Equal(["a", "e"], kept.Select(d => d.Name));
        Assert.Equal(Prose(1), kept[0].Text);
        Assert.Same(input[4], kept[1]);
        Assert.Equal(5, report.Documents);
        Assert.Equal(1, report.Normalized);
        Assert.Equal(1, report.Rejected[QualityRejection.TooShort]);
        Assert.Equal(1, report.ExactDuplicates);
        Assert.Equal(1, report.NearDuplicates);
        Assert.Equal(2, report.Kept);
    }

    [Fact]
    public void DisabledStagesLetEverythingThrough()
    {
        var report = new CleaningReport();
        var options = new CleaningOptions { Normalize = false, Quality = null, ExactDeduplication = false, NearDeduplication = null };
        Document[] input = [new("s", "a", "x\r\n"), new("s", "b", "x\r\n")];

        Assert.Equal(input, new CleaningPipeline(options, report).Clean(input));
        Assert.Equal(2, report.Kept);
    }
}
