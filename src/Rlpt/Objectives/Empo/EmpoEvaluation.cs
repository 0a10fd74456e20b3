using System.Globalization;
using Rlpt.Evaluation;
using Rlpt.Generation;
using Rlpt.Objectives.Rlpt;

namespace Rlpt.Objectives.Empo;

/// <summary>
/// EMPO's own evaluation on held-out questions (RLPT tasks of the validation split, built with the training task
/// options, so source = arithmetic keeps to the arithmetic documents): several answers per question, clustered as in
/// training. It reports what EMPO optimises (semantic entropy, the majority's share) next to what it is meant to buy,
/// agreement with the true next segment, which training never reads: the majority answer's accuracy (EMPO's
/// paper evaluates the policy's answers against ground truth) and the share of single answers that are right.
/// Entropy needs several samples: a greedy decoding is replaced by 8 samples at temperature 0.6, top-p 0.95.
/// </summary>
public static class EmpoEvaluation
{
    public const int DefaultSamples = 8;

    public static EvaluationResult Evaluate(ObjectiveEvaluationSetup setup, EvaluationResult result, CancellationToken cancellation)
    {
        var options = setup.Options<EmpoOptions>();
        options.Validate();
        var sampler = new RlptTaskSampler(setup.Data.Validation, setup.Tokenizer, setup.Data.Meta.Sources, setup.Options<RlptTaskOptions>());
        var tasks = sampler.EvaluationTasks(setup.Evaluation.Tasks, setup.Evaluation.Seed);
        var given = setup.Evaluation.Decoding;
        var decoding = given.Samples >= 2 ? given : EvaluationDecoding.Sampled(DefaultSamples, given.MaxNewTokens, given.Seed) with { BatchSize = given.BatchSize };
        setup.Model.eval();
        var completions = EvaluationGeneration.Generate(new BatchGenerator(setup.Model, setup.Tokenizer), setup.Tokenizer, tasks.Select(t => t.Prompt).ToArray(), decoding, cancellation);

        var scores = tasks.Select((task, t) => Score(options, task.Reference, completions[t].Select(c => PredictionExtractor.Extract(c.Text)).ToArray(), cancellation)).ToArray();
        var section = new ObjectiveResult("empo",
            FormattableString.Invariant($"{decoding.Samples} answers per held-out question at temperature {decoding.Temperature}, top-p {decoding.TopP}, clustered by {options.ClusterBy}; correctness against the true segment, which training never reads"),
            tasks.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Kind.ToString().ToLowerInvariant()}:{t.Document}:{t.Segment}")).ToArray(),
            [
                ObjectiveResult.Metric("semantic_entropy", scores.Select(s => s.Entropy).ToArray(), score: false, higherIsBetter: false),
                ObjectiveResult.Metric("clusters", scores.Select(s => (double)s.Clusters).ToArray(), score: false, higherIsBetter: false),
                ObjectiveResult.Metric("majority_share", scores.Select(s => s.MajorityShare).ToArray(), score: true),
                ObjectiveResult.Metric("empty_answer_rate", scores.Select(s => s.EmptyRate).ToArray(), score: false, higherIsBetter: false),
                ObjectiveResult.Metric("majority_correct", scores.Select(s => s.MajorityCorrect ? 1.0 : 0.0).ToArray(), score: true),
                ObjectiveResult.Metric("answer_correct", scores.Select(s => s.CorrectRate).ToArray(), score: true),
            ]);
        return result.With(section);
    }

    /// <summary>One question's answers against its true segment.</summary>
    /// <param name="MajorityShare">Share of answers in the largest cluster of stated answers (0 when none states one).</param>
    /// <param name="MajorityCorrect">The largest cluster's answer means the reference (ties: the first answer given).</param>
    public sealed record QuestionScore(double Entropy, int Clusters, double MajorityShare, double EmptyRate, bool MajorityCorrect, double CorrectRate);

    public static QuestionScore Score(EmpoOptions options, string reference, IReadOnlyList<string?> answers, CancellationToken cancellation = default)
    {
        var same = AnswerEquivalence.For(options, [.. answers, reference], cancellation);
        var clusters = SemanticClusters.Of(answers, same);
        int majority = -1;
        for (int c = 0; c < clusters.Count; c++)
        {
            int member = Array.IndexOf(clusters.Assignment, c);
            if (!clusters.Empty[member] && (majority < 0 || clusters.Sizes[c] > clusters.Sizes[majority])) majority = c;
        }
        bool Right(string? answer) => answer is not null && same(answer, reference);
        return new QuestionScore(
            clusters.Entropy(), clusters.Count,
            majority < 0 ? 0 : (double)clusters.Sizes[majority] / answers.Count,
            answers.Count(a => a is null) / (double)answers.Count,
            majority >= 0 && Right(answers[Array.IndexOf(clusters.Assignment, majority)]),
            answers.Count(Right) / (double)answers.Count);
    }
}
