using Rlpt.Data.Corpora.Arithmetic;

namespace Rlpt.Rewards;

/// <summary>
/// Verifiable reward for arithmetic segments: the value the prediction states against the truth — Metadata["answer"]
/// when the task carries one, else the value the reference states. 1 for exact rational equivalence (23/4 = 5.75),
/// else 0; with <paramref name="continuous"/> the graded reward of arXiv 2507.10532 instead. A prediction stating no
/// value scores 0. A reference that states no value (ordinary prose in a mixed corpus) is outside this reward's
/// domain: 0, not a failure. An explicit answer that cannot be read is a data problem: 0, counted as a failure.
/// </summary>
public sealed class NumericReward(bool continuous = false) : IRewardFunction
{
    public const string AnswerKey = "answer";

    public string Name => "numeric";

    public Task<RewardScores> ScoreAsync(IReadOnlyList<RewardInput> batch, CancellationToken cancellation)
    {
        var scores = new double[batch.Count];
        var failures = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var hasAnswer = batch[i].Metadata.ContainsKey(AnswerKey);
            if (!TryReadTruth(batch[i], out var truth)) { if (hasAnswer) failures++; continue; }
            var prediction = batch[i].Prediction;
            if (prediction is null || !NumericAnswer.TryParseStatedValue(prediction, out var stated)) continue;
            scores[i] = continuous
                ? NumericAnswer.ContinuousReward(stated.ToDouble(), truth.ToDouble())
                : NumericAnswer.Equivalent(stated, truth) ? 1 : 0;
        }
        return Task.FromResult(new RewardScores(scores, failures));
    }

    private static bool TryReadTruth(RewardInput input, out Rational truth) =>
        input.Metadata.TryGetValue(AnswerKey, out var answer)
            ? Rational.TryParse(answer, out truth) || NumericAnswer.TryParseStatedValue(answer, out truth)
            : NumericAnswer.TryParseStatedValue(input.Reference, out truth);
}
