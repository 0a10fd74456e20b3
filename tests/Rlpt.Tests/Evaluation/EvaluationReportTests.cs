using System.Text.Json;
using Rlpt.Evaluation;
using Rlpt.Objectives;

namespace Rlpt.Tests.Evaluation;

public sealed class EvaluationReportTests
{
    private static readonly EvaluationDecoding Decoding = EvaluationDecoding.Sampled(4, maxNewTokens: 32, seed: 2);

    private static EvaluationResult Result(string name, double shift)
    {
        var tasks = Enumerable.Range(0, 10).Select(i => new NextSegmentTaskScore(i % 2 == 0 ? "asr" : "msr", i, 1, i / 10.0 + shift)).ToArray();
        NextSegmentSummary Summary(string kind) => new(kind, 5, 20, Estimate.Of(tasks.Where(t => kind == "all" || t.Kind == kind).Select(t => t.Reward).ToArray()),
            new Dictionary<string, double> { ["prefix"] = 0.25 + shift }, 0.5, 12.5);
        var next = new NextSegmentResult(Decoding, [Summary("asr"), Summary("msr"), Summary("all")], new Dictionary<string, int> { ["prefix"] = 1 }, tasks);
        var losses = new[] { 3.0, 3.5, 4.0 }.Select(l => l - shift).ToArray();
        var loss = Estimate.Of(losses);
        var perplexity = new PerplexityResult(16, 3, 48, loss, loss.Map(Math.Exp), losses);
        var options = new ArithmeticEvaluationOptions { MaxLevel = 1, ProblemsPerLevel = 2, Sampled = Decoding };
        var problems = new[] { new ArithmeticProblemScore(1, "1 + 2", "3", shift > 0, 2), new ArithmeticProblemScore(1, "2 * 5", "10", true, 4) };
        var arithmetic = new ArithmeticResult(options,
            [new ArithmeticLevelResult(1, 2, Estimate.Of([shift > 0 ? 1 : 0, 1]), 1, new Dictionary<string, Estimate> { ["pass@1"] = Estimate.Of([0.5, 1]), ["pass@4"] = Estimate.Of([1, 1]) })],
            problems);
        return new EvaluationResult(name, next, perplexity, arithmetic);
    }

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [Fact]
    public void EvalJsonRoundTripsEveryNumberIncludingNaNs()
    {
        using var directory = new TestDirectory();
        var full = Result("rlpt", 0.1);
        // An empty kind has NaN statistics; they must survive the round trip too.
        var empty = new NextSegmentSummary("asr", 0, 0, Estimate.Of([]), new Dictionary<string, double>(), double.NaN, double.NaN);
        var result = full with { NextSegment = full.NextSegment! with { Kinds = [empty, .. full.NextSegment.Kinds.Skip(1)] } };
        EvaluationReport.Write(directory.Path, result);

        var read = EvaluationReport.Read(directory.File(EvaluationReport.JsonFileName));
        Assert.Equal(JsonSerializer.Serialize(result, Json), JsonSerializer.Serialize(read, Json));
        Assert.True(double.IsNaN(read.NextSegment!.Kind("asr").Reward.Mean));
        Assert.Equal(result.Perplexity!.WindowLosses, read.Perplexity!.WindowLosses);
        Assert.Equal(0.6, read.NextSegment.Decoding.Temperature);
        Assert.Equal(2, read.Arithmetic!.Problems.Count);
    }

    [Fact]
    public void TheMarkdownSummaryHasATablePerEvaluator()
    {
        var markdown = EvaluationReport.Markdown(Result("rlpt", 0.1));
        Assert.Contains("## Next-segment reward", markdown);
        Assert.Contains("| kind | tasks | completions | reward [95% CI] | prefix | format_rate | mean tokens |\n| --- | --- | --- | --- | --- | --- | --- |", markdown);
        Assert.Contains("## Held-out perplexity", markdown);
        Assert.Contains("## Arithmetic", markdown);
        Assert.Contains("| level | problems | pass@1 [95% CI] | sampled pass@1 | sampled pass@4 | format_rate |", markdown);
        Assert.Contains("Unscored completions — prefix: 1.", markdown);
    }

    [Fact]
    public void TheComparisonShowsEveryCheckpointAndPairedDifferencesFromTheFirst()
    {
        using var directory = new TestDirectory();
        var checkpoints = new[] { Result("cold-start", 0), Result("rlpt", 0.1), Result("control", 0.02) };
        var comparison = EvaluationReport.Comparison(checkpoints);
        Assert.Contains("| metric | cold-start | rlpt | control |", comparison);
        Assert.Contains($"| next_segment/all/reward | {checkpoints[0].NextSegment!.Kind("all").Reward} |", comparison);

        var differences = EvaluationReport.PairedDifferences(checkpoints[0], checkpoints[1]).ToDictionary(d => d.Metric, d => d.Value);
        // Every task gained exactly 0.1 and every window's loss fell by 0.1: the paired intervals are points.
        Assert.Equal(0.1, differences["next_segment/all/reward"].Low, 9);
        Assert.Equal(0.1, differences["next_segment/all/reward"].High, 9);
        Assert.Equal(-0.1, differences["perplexity/loss"].Mean, 9);
        Assert.Equal(0.5, differences["arithmetic/all/pass@1"].Mean, 9);
        Assert.Contains("## Paired differences from cold-start", comparison);

        var png = directory.File("comparison.png");
        EvaluationReport.SaveComparisonPlot(png, checkpoints);
        Assert.True(new FileInfo(png).Length > 1000);
    }
}

public sealed class ObjectiveSectionReportTests
{
    private static EvaluationResult WithSection(string name, string[] items, double[] gains) =>
        new EvaluationResult(name).With(new ObjectiveResult("rlp", "thoughts", items,
            [ObjectiveResult.Metric("information_gain", gains, score: false), ObjectiveResult.Metric("positive_gain_rate", gains.Select(g => g > 0 ? 1.0 : 0.0).ToArray(), score: true)]));

    [Fact]
    public void AnObjectivesSectionIsReportedRoundTripsAndPairsOnTheSameItems()
    {
        using var directory = new TestDirectory();
        var before = WithSection("before", ["0:5", "1:7", "2:9"], [-1, 0, 1]);
        var after = WithSection("after", ["0:5", "1:7", "2:9"], [0.5, 1.5, 2.5]);
        EvaluationReport.Write(directory.Path, after);
        var read = EvaluationReport.Read(directory.File(EvaluationReport.JsonFileName));
        Assert.Equal([0.5, 1.5, 2.5], read.Objectives!.Single().Metrics[0].PerItem);

        Assert.Contains("## Objective: rlp", EvaluationReport.Markdown(after));
        Assert.Contains(EvaluationReport.Metrics(after), m => m.Name == "rlp/positive_gain_rate" && m.Score);
        var differences = EvaluationReport.PairedDifferences(before, after).ToDictionary(d => d.Metric, d => d.Value);
        Assert.Equal(1.5, differences["rlp/information_gain"].Mean, 9);
        Assert.Equal(2.0 / 3, differences["rlp/positive_gain_rate"].Mean, 9);
        // Other items: no pairing, since the difference would mix item and checkpoint effects.
        Assert.Empty(EvaluationReport.PairedDifferences(before, WithSection("other", ["0:5", "1:7", "3:1"], [0, 1, 2])));
    }
}
