namespace Rlpt.Training.Rl;

/// <summary>
/// The reward-correctness study of arXiv 2507.10532, for any objective: <c>correct</c> trains on the objective's rewards;
/// <c>random</c> shuffles the step's rewards across all its completions, so each completion's reward is independent of
/// its answer while the batch keeps exactly the same rewards (and mean); <c>inverted</c> trains on −r, which every
/// group-relative estimator here (grpo, dr_grpo, rloo subtract the group mean) turns into the same advantages as
/// r_max + r_min − r. The objective's own mean is logged as <c>true_reward</c> either way.
/// </summary>
public static class RewardCorrectness
{
    public const string Correct = "correct";
    public const string Random = "random";
    public const string Inverted = "inverted";

    public static IReadOnlyCollection<string> Modes { get; } = [Correct, Random, Inverted];

    public static void Apply(string mode, RolloutBatch batch, int seed)
    {
        switch (mode)
        {
            case Correct:
                return;
            case Inverted:
                foreach (var group in batch.Groups)
                    for (int i = 0; i < group.Rewards.Length; i++) group.Rewards[i] = -group.Rewards[i];
                return;
            case Random:
                var all = batch.Groups.SelectMany(g => g.Rewards).ToArray();
                new System.Random(seed).Shuffle(all);
                int next = 0;
                foreach (var group in batch.Groups)
                    for (int i = 0; i < group.Rewards.Length; i++) group.Rewards[i] = all[next++];
                return;
            default:
                throw new ArgumentException($"reward_correctness must be one of {string.Join(", ", Modes)} (got '{mode}').");
        }
    }
}
