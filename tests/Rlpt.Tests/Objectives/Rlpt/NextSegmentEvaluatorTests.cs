using Rlpt.Evaluation;
using Rlpt.Objectives.Rlpt;
using Rlpt.Rewards;
using Rlpt.Tests.Evaluation;

namespace Rlpt.Tests.Objectives.Rlpt;

public sealed class NextSegmentEvaluatorTests(EvaluationFixture fixture) : IClassFixture<EvaluationFixture>
{
    /// <summary>Scores 1 when the completion contains <paramref name="word"/>, and records what it was asked.</summary>
    private sealed class ContainsReward(string name, string word) : IRewardFunction
    {
        public List<RewardInput> Seen { get; } = [];
        public string Name => name;

        public Task<RewardScores> ScoreAsync(IReadOnlyList<RewardInput> batch, CancellationToken cancellation)
        {
            Seen.AddRange(batch);
            return Task.FromResult(new RewardScores(batch.Select(i => i.Completion.Contains(word, StringComparison.Ordinal) ? 1.0 : 0.0).ToArray()));
        }

        public double Score(string completion) => completion.Contains(word, StringComparison.Ordinal) ? 1 : 0;
    }

    private IReadOnlyList<RlptTask> Tasks(int count) =>
        new RlptTaskSampler(fixture.Corpus.Data.Validation, fixture.Corpus.Tokenizer, fixture.Corpus.Data.Meta.Sources, new RlptTaskOptions { ContextTokens = 48 })
            .EvaluationTasks(count, seed: 3);

    private static EvaluationDecoding Sampled(int batchSize) => EvaluationDecoding.Sampled(samples: 3, maxNewTokens: 10, seed: 7) with { BatchSize = batchSize };

    private async Task<(NextSegmentResult Result, ContainsReward E, ContainsReward A)> Run(IReadOnlyList<RlptTask> tasks, EvaluationDecoding decoding)
    {
        var e = new ContainsReward("has_e", "e");
        var a = new ContainsReward("has_a", "a");
        var composer = new RewardComposer([new WeightedReward(e, 1), new WeightedReward(a, 0.5)]);
        var result = await new NextSegmentEvaluator(fixture.Model, fixture.Corpus.Tokenizer, composer).EvaluateAsync(tasks, decoding);
        return (result, e, a);
    }

    [Fact]
    public async Task SummariesCountTasksAndCompletionsPerKindAndMatchTheRewardsScored()
    {
        var tasks = Tasks(6);
        var (result, e, a) = await Run(tasks, Sampled(batchSize: 4));

        Assert.Equal(["asr", "msr", "all"], result.Kinds.Select(k => k.Kind));
        Assert.Equal(18, e.Seen.Count);
        Assert.Equal([3, 3, 6], result.Kinds.Select(k => k.Tasks));
        Assert.Equal([9, 9, 18], result.Kinds.Select(k => k.Completions));
        Assert.Equal(tasks.Select(t => t.Kind.ToString().ToLowerInvariant()), result.Tasks.Select(t => t.Kind));
        Assert.Equal(tasks.Select(t => t.Segment), result.Tasks.Select(t => t.Segment));
        for (int t = 0; t < tasks.Count; t++)
        {
            var inputs = e.Seen.Skip(3 * t).Take(3).ToArray();
            Assert.All(inputs, i => Assert.Equal(tasks[t].Prompt, i.Prompt));
            Assert.All(inputs, i => Assert.Equal(result.Tasks[t].Kind, i.Metadata[NextSegmentEvaluator.KindKey]));
            Assert.Equal(inputs.Average(i => e.Score(i.Completion) + 0.5 * a.Score(i.Completion)), result.Tasks[t].Reward, 12);
        }

        var all = result.Kind("all");
        Assert.Equal(result.Tasks.Average(t => t.Reward), all.Reward.Mean, 12);
        Assert.InRange(all.Reward.Mean, all.Reward.Low, all.Reward.High);
        Assert.Equal(e.Seen.Average(i => e.Score(i.Completion)), all.RewardFunctions["has_e"], 12);
        Assert.Equal(e.Seen.Average(i => a.Score(i.Completion)), all.RewardFunctions["has_a"], 12);
        var asr = e.Seen.Where(i => i.Metadata[NextSegmentEvaluator.KindKey] == "asr").ToArray();
        Assert.Equal(asr.Average(i => e.Score(i.Completion)), result.Kind("asr").RewardFunctions["has_e"], 12);

        // format_rate is the share of completions whose prediction the extractor could read.
        Assert.All(e.Seen, i => Assert.Equal(PredictionExtractor.Extract(i.Completion), i.Prediction));
        Assert.Equal(e.Seen.Average(i => i.Prediction is null ? 0.0 : 1.0), all.FormatRate, 12);
        Assert.InRange(all.MeanCompletionTokens, 1, 10);
        Assert.Equal(0, result.RewardFailures["has_e"]);
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameScoresWhateverTheBatchSize()
    {
        var tasks = Tasks(4);
        var (first, firstSeen, _) = await Run(tasks, Sampled(batchSize: 2));
        var (second, secondSeen, _) = await Run(tasks, Sampled(batchSize: 12));
        var (_, reseeded, _) = await Run(tasks, Sampled(batchSize: 12) with { Seed = 8 });
        Assert.Equal(firstSeen.Seen.Select(i => i.Completion), secondSeen.Seen.Select(i => i.Completion));
        Assert.Equal(first.Tasks, second.Tasks);
        Assert.Equal(first.Kind("all").Reward, second.Kind("all").Reward);
        Assert.NotEqual(firstSeen.Seen.Select(i => i.Completion), reseeded.Seen.Select(i => i.Completion));
    }

    [Fact]
    public async Task GreedyDecodingGivesOneCompletionPerTaskAndRejectsSeveralSamples()
    {
        var tasks = Tasks(2);
        var (result, e, _) = await Run(tasks, EvaluationDecoding.Greedy(maxNewTokens: 6));
        Assert.Equal(2, e.Seen.Count);
        Assert.Equal(2, result.Kind("all").Completions);
        await Assert.ThrowsAsync<ArgumentException>(() => Run(tasks, EvaluationDecoding.Greedy() with { Samples = 2 }));
    }
}
