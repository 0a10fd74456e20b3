using Rlpt.Rewards;

namespace Rlpt.Training.Rl;

/// <summary>
/// The reward stage for per-completion text rewards: each completion becomes a <see cref="RewardInput"/> (the objective
/// says how, e.g. extracting its prediction) and is scored by a <see cref="RewardComposer"/>'s weighted functions.
/// </summary>
public sealed class CompletionRewards(RewardComposer rewards, Func<RolloutPrompt, string, RewardInput> input, Action<string>? log = null) : IRolloutReward
{
    public async Task<IReadOnlyDictionary<string, double>> ScoreAsync(RolloutBatch batch, RlContext context, CancellationToken cancellation)
    {
        var inputs = batch.Groups.SelectMany(g => g.Completions.Select(c => input(g.Prompt, c.Text))).ToArray();
        var scored = await rewards.ScoreAsync(inputs, cancellation).ConfigureAwait(false);
        int row = 0;
        foreach (var group in batch.Groups)
        {
            for (int i = 0; i < group.Rewards.Length; i++) group.Rewards[i] = scored.Total[row + i];
            foreach (var (name, scores) in scored.PerFunction)
                group.RewardTerms[name] = scores.Skip(row).Take(group.Rewards.Length).ToArray();
            row += group.Rewards.Length;
        }
        foreach (var (name, failures) in scored.Failures.Where(f => f.Value > 0))
            log?.Invoke($"reward '{name}': {failures} completions could not be scored this step (scored 0)");
        return new Dictionary<string, double>();
    }
}
