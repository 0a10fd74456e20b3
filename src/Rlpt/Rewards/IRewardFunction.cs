namespace Rlpt.Rewards;

/// <summary>
/// A reward for a batch of completions (batched so embedding models and judges can work in parallel). Scores are
/// usually in [0, 1]. <see cref="RewardScores.Failures"/> counts completions the function could not score (e.g. an
/// unreachable judge under the score-zero policy), so a trainer can report them.
/// </summary>
public interface IRewardFunction
{
    /// <summary>Metric name, e.g. "prefix" → logged as rewards/prefix/mean.</summary>
    string Name { get; }

    Task<RewardScores> ScoreAsync(IReadOnlyList<RewardInput> batch, CancellationToken cancellation);
}

public sealed record RewardScores(IReadOnlyList<double> Scores, int Failures = 0);
