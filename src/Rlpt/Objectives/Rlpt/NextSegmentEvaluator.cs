using Rlpt.Evaluation;
using Rlpt.Generation;
using Rlpt.Modeling;
using Rlpt.Rewards;
using Rlpt.Tokenization;

namespace Rlpt.Objectives.Rlpt;

/// <summary>
/// Scores a model's predictions of held-out segments (ASR and MSR tasks from
/// <see cref="RlptTaskSampler.EvaluationTasks"/>) with the training rewards. Intervals resample tasks, not
/// completions: the samples of one task are correlated, so treating them as independent would overstate precision.
/// </summary>
public sealed class NextSegmentEvaluator(CausalLM model, Tokenizer tokenizer, RewardComposer rewards)
{
    public const string AllKinds = "all";

    /// <summary>Metadata key naming the task kind (asr/msr) in every <see cref="RewardInput"/>.</summary>
    public const string KindKey = "kind";

    public async Task<NextSegmentResult> EvaluateAsync(IReadOnlyList<RlptTask> tasks, EvaluationDecoding decoding, CancellationToken cancellation = default)
    {
        model.eval();
        var completions = EvaluationGeneration.Generate(new BatchGenerator(model, tokenizer), tokenizer, tasks.Select(t => t.Prompt).ToArray(), decoding, cancellation);
        var inputs = tasks.SelectMany((task, t) => completions[t].Select(c => RlptObjective.Input(task, c.Text))).ToArray();
        var scored = await rewards.ScoreAsync(inputs, cancellation).ConfigureAwait(false);

        var scores = tasks.Select((task, t) => new NextSegmentTaskScore(
            KindName(task.Kind), task.Document, task.Segment,
            Enumerable.Range(t * decoding.Samples, decoding.Samples).Average(i => scored.Total[i]))).ToArray();
        var kinds = new[] { KindName(RlptTaskKind.Asr), KindName(RlptTaskKind.Msr), AllKinds }
            .Select(kind => Summarize(kind, Enumerable.Range(0, tasks.Count).Where(t => kind == AllKinds || scores[t].Kind == kind).ToArray(), scores, completions, inputs, scored, decoding.Samples))
            .ToArray();
        return new NextSegmentResult(decoding, kinds, scored.Failures, scores);
    }

    private static string KindName(RlptTaskKind kind) => kind.ToString().ToLowerInvariant();

    private static NextSegmentSummary Summarize(string kind, int[] taskIndexes, NextSegmentTaskScore[] scores, GenerationResult[][] completions,
        RewardInput[] inputs, ComposedRewards scored, int samples)
    {
        var rows = taskIndexes.SelectMany(t => Enumerable.Range(t * samples, samples)).ToArray();
        double Mean(Func<int, double> value) => rows.Length == 0 ? double.NaN : rows.Average(value);
        return new NextSegmentSummary(
            kind, taskIndexes.Length, rows.Length,
            Estimate.Of(taskIndexes.Select(t => scores[t].Reward).ToArray()),
            scored.PerFunction.ToDictionary(f => f.Key, f => Mean(i => f.Value[i])),
            Mean(i => inputs[i].Prediction is null ? 0 : 1),
            Mean(i => completions[i / samples][i % samples].TokenIds.Count));
    }
}
