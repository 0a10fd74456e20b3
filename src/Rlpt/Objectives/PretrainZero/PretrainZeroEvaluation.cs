using System.Globalization;
using Rlpt.Evaluation;
using Rlpt.Generation;
using Rlpt.Objectives.Rlpt;

namespace Rlpt.Objectives.PretrainZero;

/// <summary>
/// PretrainZero's own evaluation on held-out passages (the validation split's RLPT tasks, built with the training task
/// options): the predictor on a random span of each (seeded by the evaluation seed, the same masks for every
/// checkpoint) and on its next word, scored by exact match, and the generator's proposals checked by the mask rules.
/// The generator's r_gen needs predictor rollouts per proposal, so it is not re-measured here: mask_valid_rate is the
/// part of it that depends on the generator alone. Answers are at most pz_answer_tokens long, as in training.
/// </summary>
public static class PretrainZeroEvaluation
{
    public static EvaluationResult Evaluate(ObjectiveEvaluationSetup setup, EvaluationResult result, CancellationToken cancellation)
    {
        var options = setup.Options<PretrainZeroOptions>();
        options.Validate();
        var sampler = PretrainZeroObjective.Passages(setup.Data.Validation, setup.Tokenizer, setup.Data.Meta.Sources, setup.Options<RlptTaskOptions>());
        var tasks = sampler.EvaluationTasks(setup.Evaluation.Tasks, setup.Evaluation.Seed);
        var passages = tasks.Select(PretrainZeroObjective.Passage).ToArray();
        var decoding = setup.Evaluation.Decoding;
        var answers = decoding with { MaxNewTokens = Math.Min(decoding.MaxNewTokens, options.AnswerTokens) };
        var generator = new BatchGenerator(setup.Model, setup.Tokenizer);
        setup.Model.eval();

        double[] Accuracy(string masks)
        {
            var masked = passages.Select((p, i) => PretrainZeroObjective.RandomMask(p, setup.Evaluation.Seed, i, setup.Tokenizer, options with { Masks = masks })).ToArray();
            var posed = masked.OfType<MaskedPassage>().ToArray();
            var completions = EvaluationGeneration.Generate(generator, setup.Tokenizer, posed.Select(m => PretrainZeroPrompts.Predictor(m, options.OpenThink)).ToArray(), answers, cancellation);
            var scores = posed.Select((m, i) => completions[i].Average(c => SpanAnswers.Matches(SpanAnswers.Prediction(c.Text), m.Span) ? 1.0 : 0.0)).ToArray();
            // A passage with no valid mask (too short or repetitive) is posed nothing and counts as missed: every checkpoint
            // sees the same ones.
            int next = 0;
            return masked.Select(m => m is null ? 0 : scores[next++]).ToArray();
        }
        var spanAccuracy = Accuracy(PretrainZeroOptions.Random);
        var nextWordAccuracy = Accuracy(PretrainZeroOptions.NextWord);
        var proposals = EvaluationGeneration.Generate(generator, setup.Tokenizer, passages.Select(p => PretrainZeroPrompts.Generator(p, options.OpenThink)).ToArray(), decoding, cancellation);
        var valid = passages.Select((p, i) => proposals[i].Average(c => SpanMasking.Check(p, SpanAnswers.Span(c.Text), setup.Tokenizer, options).Mask is null ? 0.0 : 1.0)).ToArray();

        var section = new ObjectiveResult("pretrainzero",
            $"held-out passages, {(decoding.Temperature == 0 ? "greedy" : $"{decoding.Samples} samples")}: a random span of up to {options.MaxSpanWords} words and the next word masked, exact match after normalisation; the generator's proposals checked by the mask rules",
            tasks.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Document}:{t.Segment}")).ToArray(),
            [
                ObjectiveResult.Metric("span_accuracy", spanAccuracy, score: true),
                ObjectiveResult.Metric("next_word_accuracy", nextWordAccuracy, score: true),
                ObjectiveResult.Metric("mask_valid_rate", valid, score: true),
            ]);
        return result.With(section);
    }
}
