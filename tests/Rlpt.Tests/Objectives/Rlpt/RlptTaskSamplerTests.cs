using Rlpt.Objectives.Rlpt;

namespace Rlpt.Tests.Objectives.Rlpt;

public sealed class RlptTaskSamplerTests(RlptTestCorpus corpus) : IClassFixture<RlptTestCorpus>
{
    private const string ContextHeader = "### Context\n";

    private RlptTaskSampler Sampler(RlptTaskOptions options, long drawn = 0) =>
        new(corpus.Train, corpus.Tokenizer, corpus.Data.Meta.Sources, options, drawn);

    private static string Join(IEnumerable<string> sentences) => string.Join(" ", sentences);

    [Fact]
    public void TheCorpusIsSegmentedIntoItsKnownSentences()
    {
        for (long d = 0; d < corpus.Train.Documents.Count; d++)
            Assert.Equal(corpus.SentencesOf(corpus.Train, d).Length, corpus.Train.Documents[d].SegmentCount);
    }

    [Fact]
    public void AsrPromptHoldsExactlyThePrecedingSentencesAndTheReferenceIsTheTarget()
    {
        var options = new RlptTaskOptions { MsrFraction = 0, ContextTokens = 100_000, Seed = 3 };
        foreach (var task in Sampler(options).Next(60))
        {
            var sentences = corpus.SentencesOf(corpus.Train, task.Document);
            Assert.Equal(RlptTaskKind.Asr, task.Kind);
            Assert.InRange(task.Segment, 1, sentences.Length - 1);
            Assert.Equal(sentences[task.Segment], task.Reference);
            Assert.Equal(RlptPrompts.Asr(Join(sentences[..task.Segment]), options.Prompts), task.Prompt);
            Assert.StartsWith("<|im_start|>user\n", task.Prompt);
            Assert.EndsWith($"{ContextHeader}{Join(sentences[..task.Segment])}<|im_end|>\n<|im_start|>assistant\n<think>\n", task.Prompt);
            Assert.DoesNotContain(sentences[task.Segment], task.Prompt);
            Assert.Equal(corpus.Data.Meta.Sources[corpus.Train.Documents[task.Document].SourceIndex].Name, task.Source);
        }
    }

    [Fact]
    public void MsrPromptHoldsTheContextTheMaskAndTheNextSentenceButNotTheTarget()
    {
        var options = new RlptTaskOptions { MsrFraction = 1, ContextTokens = 100_000, Seed = 4 };
        foreach (var task in Sampler(options).Next(60))
        {
            var sentences = corpus.SentencesOf(corpus.Train, task.Document);
            Assert.Equal(RlptTaskKind.Msr, task.Kind);
            Assert.InRange(task.Segment, 1, sentences.Length - 2);
            Assert.Equal(sentences[task.Segment], task.Reference);
            Assert.Contains($"{Join(sentences[..task.Segment])} <MASK> {sentences[task.Segment + 1]}\n", task.Prompt);
            Assert.DoesNotContain(sentences[task.Segment], task.Prompt);
            Assert.Equal(RlptPrompts.Msr(Join(sentences[..task.Segment]), sentences[task.Segment + 1], options.Prompts), task.Prompt);
        }
    }

    [Fact]
    public void LeftTruncationDropsWholeEarliestSegmentsToFitTheBudget()
    {
        const int budget = 40;
        var options = new RlptTaskOptions { MsrFraction = 0, ContextTokens = budget, Seed = 5 };
        int truncated = 0;
        foreach (var task in Sampler(options).Next(80))
        {
            var sentences = corpus.SentencesOf(corpus.Train, task.Document);
            var prompt = task.Prompt;
            int from = prompt.IndexOf(ContextHeader, StringComparison.Ordinal) + ContextHeader.Length;
            var context = prompt[from..prompt.IndexOf("<|im_end|>", from, StringComparison.Ordinal)];
            int first = Enumerable.Range(0, task.Segment).Single(j => Join(sentences[j..task.Segment]) == context);
            var document = corpus.Train.Documents[task.Document];
            int Tokens(int k) => corpus.Train.Segments[document.SegmentStart + k].TokenCount;

            Assert.EndsWith(sentences[task.Segment - 1], context);
            Assert.True(corpus.Tokenizer.Encode(context).Count <= budget, $"context of {corpus.Tokenizer.Encode(context).Count} tokens");
            Assert.True(Enumerable.Range(first, task.Segment - first).Sum(Tokens) <= budget);
            // Maximal: one more earlier segment would not have fitted.
            if (first > 0) Assert.True(Enumerable.Range(first - 1, task.Segment - first + 1).Sum(Tokens) > budget);
            if (first > 0) truncated++;
        }
        Assert.True(truncated > 10, $"only {truncated} tasks were truncated: the budget does not exercise truncation.");
    }

    [Fact]
    public void TargetsWhosePrecedingSegmentAloneExceedsTheBudgetAreSkipped()
    {
        // A budget between the short sentences and the long ones (with the clause about the wind).
        var counts = Enumerable.Range(0, (int)corpus.Train.Segments.Count).Select(k => corpus.Train.Segments[k].TokenCount).ToArray();
        int budget = (counts.Min() + counts.Max()) / 2;
        var loose = Sampler(new RlptTaskOptions { MsrFraction = 0, ContextTokens = 100_000 });
        var tight = Sampler(new RlptTaskOptions { MsrFraction = 0, ContextTokens = budget });
        Assert.InRange(tight.EligibleTargets(RlptTaskKind.Asr), 1, loose.EligibleTargets(RlptTaskKind.Asr) - 1);
        foreach (var task in tight.Next(50))
        {
            var document = corpus.Train.Documents[task.Document];
            Assert.True(corpus.Train.Segments[document.SegmentStart + task.Segment - 1].TokenCount <= budget);
        }
    }

    [Fact]
    public void ContinuationHoldsTheTargetAndTheNextSegmentsUpToK()
    {
        var options = new RlptTaskOptions { ReferenceSegments = 3, ContextTokens = 100_000, Seed = 6 };
        bool clipped = false;
        foreach (var task in Sampler(options).Next(80))
        {
            var sentences = corpus.SentencesOf(corpus.Train, task.Document);
            int end = Math.Min(task.Segment + 3, sentences.Length);
            clipped |= end < task.Segment + 3;
            Assert.Equal(Join(sentences[task.Segment..end]), task.ReferenceContinuation);
            Assert.StartsWith(task.Reference, task.ReferenceContinuation);
        }
        Assert.True(clipped, "no continuation met the end of its document");
    }

    [Fact]
    public void MsrFractionSetsTheShareOfMsrTasks()
    {
        int msr = Sampler(new RlptTaskOptions { MsrFraction = 0.25, Seed = 11 }).Next(400).Count(t => t.Kind == RlptTaskKind.Msr);
        Assert.InRange(msr, 75, 125);
    }

    [Fact]
    public void DocumentsAreDrawnInProportionToTheirSourceWeight()
    {
        var sources = corpus.Data.Meta.Sources;
        var lake = Enumerable.Range(0, sources.Count).Single(s => sources[s].Name == "lake");
        long lakeDocuments = Enumerable.Range(0, (int)corpus.Train.Documents.Count).Count(d => corpus.Train.Documents[d].SourceIndex == lake);
        long hillDocuments = corpus.Train.Documents.Count - lakeDocuments;
        double expected = 3.0 * lakeDocuments / (3.0 * lakeDocuments + hillDocuments);

        var tasks = Sampler(new RlptTaskOptions { MsrFraction = 0, Seed = 12 }).Next(800);
        double share = tasks.Count(t => t.Source == "lake") / 800.0;
        Assert.InRange(share, expected - 0.06, expected + 0.06);
        Assert.InRange(expected, 0.65, 0.85);
    }

    [Fact]
    public void ANamedSourceIsTheOnlyOneDrawnAndAnUnknownOneIsRefused()
    {
        var tasks = Sampler(new RlptTaskOptions { Source = "hill", Seed = 12 }).Next(200);
        Assert.All(tasks, t => Assert.Equal("hill", t.Source));
        Assert.Contains(tasks, t => t.Kind == RlptTaskKind.Msr);
        var error = Assert.Throws<ArgumentException>(() => Sampler(new RlptTaskOptions { Source = "sea" }));
        Assert.Contains("source 'sea' is not a source of this dataset", error.Message);
        Assert.Throws<ArgumentException>(() => Sampler(new RlptTaskOptions { Source = "hil" })); // a prefix is not a family
        Assert.True(RlptTaskSampler.IsSourceIn("brown/humor", "brown"));
        Assert.True(RlptTaskSampler.IsSourceIn("brown", "brown"));
        Assert.False(RlptTaskSampler.IsSourceIn("brownie", "brown"));
        Assert.False(RlptTaskSampler.IsSourceIn("brown", "brown/humor"));
        // Null stays out of the options' JSON, so run records written before the option existed still match.
        Assert.DoesNotContain("\"source\"", System.Text.Json.JsonSerializer.Serialize(new RlptTaskOptions()));
    }

    [Fact]
    public void SameSeedGivesSameTasksAndAResumedSamplerContinuesIdentically()
    {
        var options = new RlptTaskOptions { Seed = 7 };
        var straight = Sampler(options).Next(30);
        Assert.Equal(straight, Sampler(options).Next(30));
        Assert.NotEqual(straight, Sampler(options with { Seed = 8 }).Next(30));

        var first = Sampler(options);
        var head = first.Next(12);
        var resumed = Sampler(options, first.Drawn);
        Assert.Equal(12, first.Drawn);
        Assert.Equal(straight, head.Concat(resumed.Next(18)));
        Assert.Equal(30, resumed.Drawn);
        Assert.Equal(straight[20], first.Draw(20));
    }

    [Fact]
    public void NoEligibleDocumentIsAClearError()
    {
        var error = Assert.Throws<InvalidDataException>(() => Sampler(new RlptTaskOptions { MinContextSegments = 50 }));
        Assert.Contains("ASR", error.Message);
        Assert.Throws<InvalidDataException>(() => Sampler(new RlptTaskOptions { MaxTargetTokens = 1 }));
    }

    [Fact]
    public void EvaluationTasksAreFixedBalancedAndDistinct()
    {
        var sampler = new RlptTaskSampler(corpus.Data.Validation, corpus.Tokenizer, corpus.Data.Meta.Sources, new RlptTaskOptions { MsrFraction = 0 });
        var tasks = sampler.EvaluationTasks(10, seed: 99);
        Assert.Equal(tasks, sampler.EvaluationTasks(10, seed: 99));
        Assert.Equal(5, tasks.Count(t => t.Kind == RlptTaskKind.Msr));
        Assert.All(tasks.Where((_, n) => n % 2 == 0), t => Assert.Equal(RlptTaskKind.Asr, t.Kind));
        Assert.Equal(10, tasks.Select(t => (t.Kind, t.Document, t.Segment)).Distinct().Count());
        Assert.All(tasks, t => Assert.Equal(corpus.SentencesOf(corpus.Data.Validation, t.Document)[t.Segment], t.Reference));
    }
}
