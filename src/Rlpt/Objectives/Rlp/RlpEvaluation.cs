using System.Globalization;
using Rlpt.Evaluation;
using Rlpt.Generation;
using Rlpt.Tokenization;

namespace Rlpt.Objectives.Rlp;

/// <summary>
/// RLP's own evaluation: at held-out positions (drawn as in training, from the validation split) the checkpoint writes
/// a thought and we measure how much it raises the likelihood of the document's next tokens. A bare checkpoint has no
/// EMA teacher, so the baseline is the checkpoint itself without the thought: the gain is then what thinking adds to
/// this model, and the baseline log-likelihood is its plain next-token score (the quantity continued pretraining
/// improves), both reported per position.
/// </summary>
public static class RlpEvaluation
{
    public static EvaluationResult Evaluate(ObjectiveEvaluationSetup setup, EvaluationResult result, CancellationToken cancellation)
    {
        var options = setup.Options<RlpOptions>() with { Seed = setup.Evaluation.Seed };
        var positions = new RlpPositions(setup.Data.Validation, options);
        var tasks = Enumerable.Range(0, setup.Evaluation.Tasks).Select(i => positions.Draw(i)).ToArray();
        var tokenizer = setup.Tokenizer;
        int thinkStart = tokenizer.TokenToId(SpecialTokens.ThinkStart) ?? throw new ArgumentException($"the tokenizer has no {SpecialTokens.ThinkStart} token.");
        int thinkEnd = tokenizer.TokenToId(SpecialTokens.ThinkEnd) ?? throw new ArgumentException($"the tokenizer has no {SpecialTokens.ThinkEnd} token.");
        var decoding = setup.Evaluation.Decoding;
        setup.Model.eval();
        var thoughts = EvaluationGeneration.Generate(new BatchGenerator(setup.Model, tokenizer),
            tasks.Select(t => (IReadOnlyList<int>)[.. t.Context, thinkStart]).ToArray(), decoding, [SpecialTokens.ThinkEnd], cancellation);
        var scorer = new InformationGainReward(setup.Model, thinkStart, thinkEnd);
        var (baseline, reasoned) = scorer.LogLikelihoods(setup.Model, tasks, thoughts.Select(t => t.Select(c => c.TokenIds).ToArray()).ToArray(), tokenizer.PadId);

        double[] PerPosition(Func<int, int, double> value) => tasks.Select((_, p) => Enumerable.Range(0, decoding.Samples).Average(s => value(p, s))).ToArray();
        var section = new ObjectiveResult("rlp",
            FormattableString.Invariant($"thoughts at held-out positions ({options.ScoredTokens} scored token(s) after up to {options.ContextTokens} context tokens), {Describe(decoding)}; the baseline is the same checkpoint without a thought"),
            tasks.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Document}:{t.Position}")).ToArray(),
            [
                ObjectiveResult.Metric("information_gain", PerPosition((p, s) => reasoned[p][s] - baseline[p]), score: false),
                ObjectiveResult.Metric("positive_gain_rate", PerPosition((p, s) => reasoned[p][s] > baseline[p] ? 1 : 0), score: true),
                ObjectiveResult.Metric("reasoned_log_likelihood", PerPosition((p, s) => reasoned[p][s]), score: false),
                ObjectiveResult.Metric("baseline_log_likelihood", baseline, score: false),
                ObjectiveResult.Metric("thought_tokens", PerPosition((p, s) => scorer.Thought(thoughts[p][s].TokenIds).Count), score: false, higherIsBetter: false),
                ObjectiveResult.Metric("closed_thought_rate", PerPosition((p, s) => thoughts[p][s].TokenIds.Contains(thinkEnd) ? 1 : 0), score: true),
            ]);
        return result.With(section);
    }

    private static string Describe(EvaluationDecoding d) => d.Temperature == 0
        ? $"one greedy thought of up to {d.MaxNewTokens} tokens"
        : FormattableString.Invariant($"{d.Samples} thoughts of up to {d.MaxNewTokens} tokens at temperature {d.Temperature}");
}
