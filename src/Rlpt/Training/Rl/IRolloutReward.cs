namespace Rlpt.Training.Rl;

/// <summary>
/// The reward stage: fills each group's <see cref="RolloutGroup.Rewards"/> (and <see cref="RolloutGroup.RewardTerms"/>).
/// It sees whole groups, token ids and (through the context) the policy, so a reward may be per completion (RLPT's text
/// rewards), per group (EMPO's cluster shares) or model-aware (RLP's information gain).
/// </summary>
public interface IRolloutReward
{
    /// <returns>Metrics of the objective's own for this step (e.g. rlp/information_gain), averaged over rounds.</returns>
    Task<IReadOnlyDictionary<string, double>> ScoreAsync(RolloutBatch batch, RlContext context, CancellationToken cancellation);
}
