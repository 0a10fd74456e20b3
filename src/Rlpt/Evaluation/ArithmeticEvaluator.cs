using Rlpt.Data.Corpora.Arithmetic;
using Rlpt.Generation;
using Rlpt.Modeling;
using Rlpt.Tokenization;

namespace Rlpt.Evaluation;

/// <summary>
/// Accuracy on held-out arithmetic problems (disjoint from every training document) by level. The model
/// continues the corpus's own document opening, "We need to compute EXPR. First,", and its answer is the value
/// stated in its conclusion sentence "So the value of EXPR is VALUE."; it is correct only if exactly equivalent.
/// </summary>
public sealed class ArithmeticEvaluator(CausalLM model, Tokenizer tokenizer)
{

    public ArithmeticResult Evaluate(ArithmeticEvaluationOptions options, CancellationToken cancellation = default)
    {
        options.Validate();
        model.eval();
        var generator = new BatchGenerator(model, tokenizer);
        var levels = new List<ArithmeticLevelResult>();
        var scores = new List<ArithmeticProblemScore>();
        for (int level = 1; level <= options.MaxLevel; level++)
        {
            var problems = ArithmeticDocuments.EvaluationSet(level, options.ProblemsPerLevel, options.Seed);
            var prompts = problems.Select(p => ArithmeticDocuments.Opening(p.Expression)).ToArray();
            var greedy = EvaluationGeneration.Generate(generator, tokenizer, prompts, options.Greedy, cancellation).Select(c => c[0].Text).ToArray();
            var sampled = options.Sampled is null ? null : EvaluationGeneration.Generate(generator, tokenizer, prompts, options.Sampled, cancellation);
            var levelScores = problems.Select((p, i) => new ArithmeticProblemScore(level, p.Expression, p.Answer.ToString(),
                IsCorrect(greedy[i], p.Answer), sampled?[i].Count(c => IsCorrect(c.Text, p.Answer)) ?? 0)).ToArray();
            var passAtK = options.EffectiveK().ToDictionary(k => $"pass@{k}",
                k => Estimate.Of(levelScores.Select(s => PassAtK.Estimate(options.Sampled!.Samples, s.SamplesCorrect, k)).ToArray()));
            levels.Add(new ArithmeticLevelResult(level, problems.Count,
                Estimate.Of(levelScores.Select(s => s.GreedyCorrect ? 1.0 : 0.0).ToArray()),
                greedy.Average(text => TryReadAnswer(text, out _) ? 1.0 : 0.0),
                passAtK));
            scores.AddRange(levelScores);
        }
        return new ArithmeticResult(options, levels, scores);
    }

    public static bool IsCorrect(string completion, Rational answer) =>
        TryReadAnswer(completion, out var stated) && NumericAnswer.Equivalent(stated, answer);

    /// <summary>
    /// The value the completion's first answer statement gives, in any of <see cref="AnswerFormats"/> ("So the value of
    /// EXPR is VALUE." for the default corpus). The first, because the worked solution ends there: anything after it is
    /// the model starting new text, not revising its answer. False when there is none or it states no well-formed value
    /// (e.g. it was cut off).
    /// </summary>
    public static bool TryReadAnswer(string completion, out Rational value) => AnswerFormats.TryRead(completion, out value, out _);
}
