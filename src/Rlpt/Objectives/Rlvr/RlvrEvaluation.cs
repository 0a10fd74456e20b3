using Rlpt.Data.Corpora.Arithmetic;
using Rlpt.Evaluation;
using Rlpt.Generation;

namespace Rlpt.Objectives.Rlvr;

/// <summary>
/// RLVR's own evaluation: held-out problems (never in a training document or a training draw) at the trained levels,
/// spread evenly over them, scored by the training reward and by exact accuracy.
/// </summary>
public static class RlvrEvaluation
{
    public static EvaluationResult Evaluate(ObjectiveEvaluationSetup setup, EvaluationResult result, CancellationToken cancellation)
    {
        var options = setup.Options<RlvrOptions>();
        options.Validate();
        int levels = options.MaxLevel - options.MinLevel + 1;
        var problems = Enumerable.Range(0, levels)
            .SelectMany(l => ArithmeticDocuments.EvaluationSet(options.MinLevel + l, setup.Evaluation.Tasks / levels + (l < setup.Evaluation.Tasks % levels ? 1 : 0), setup.Evaluation.Seed))
            .ToArray();
        var decoding = setup.Evaluation.Decoding;
        setup.Model.eval();
        var completions = EvaluationGeneration.Generate(new BatchGenerator(setup.Model, setup.Tokenizer),
            problems.Select(p => (IReadOnlyList<int>)setup.Tokenizer.Encode(ArithmeticDocuments.Opening(p.Expression))).ToArray(), decoding, [], cancellation);
        var reward = new ArithmeticAnswerReward(options.Reward);
        var scores = problems.Select((p, i) => completions[i].Select(c => reward.Score(c.Text, p.Answer)).ToArray()).ToArray();
        var section = new ObjectiveResult("rlvr",
            $"held-out problems of levels {options.MinLevel}–{options.MaxLevel}, {(decoding.Temperature == 0 ? "greedy" : $"{decoding.Samples} samples")}, up to {decoding.MaxNewTokens} new tokens, {options.Reward} reward",
            problems.Select(p => p.Expression).ToArray(),
            [
                ObjectiveResult.Metric("reward", scores.Select(s => s.Average(x => x.Reward)).ToArray(), score: true),
                ObjectiveResult.Metric("accuracy", scores.Select(s => s.Average(x => x.Exact ? 1.0 : 0.0)).ToArray(), score: true),
                ObjectiveResult.Metric("answer_rate", scores.Select(s => s.Average(x => x.Stated ? 1.0 : 0.0)).ToArray(), score: true),
                .. AnswerFormats.Names.Select(f => ObjectiveResult.Metric($"format_{f}", completions.Select(c => c.Average(x => ArithmeticAnswerReward.FormatOf(x.Text) == f ? 1.0 : 0.0)).ToArray(), score: false)),
            ]);
        return result.With(section);
    }
}
