using Rlpt.Generation;

namespace Rlpt.Training.Rl;

/// <summary>
/// One prompt's G completions as they pass the stages of a step: the rollout fills <see cref="Completions"/>, the reward
/// stage <see cref="Rewards"/> (one per completion; token-level terms such as an in-reward KL are summed into it) and
/// <see cref="RewardTerms"/> (each reward function's own scores, for rewards/{name}/mean), the update
/// <see cref="Advantages"/> when the group is trained on.
/// </summary>
public sealed class RolloutGroup(RolloutPrompt prompt, IReadOnlyList<GenerationResult> completions)
{
    public RolloutPrompt Prompt { get; } = prompt;
    public IReadOnlyList<GenerationResult> Completions { get; } = completions;
    public double[] Rewards { get; } = new double[completions.Count];
    public Dictionary<string, double[]> RewardTerms { get; } = [];

    /// <summary>Each completion's advantage, set by the update; null for a group the filters left out.</summary>
    public float[]? Advantages { get; set; }

    /// <summary>Per-group figures a reward leaves for the filters (e.g. EMPO's semantic entropy).</summary>
    public Dictionary<string, double> Stats { get; } = [];

    /// <summary>Rewards that differ within the group: only then do group-relative advantages carry a gradient.</summary>
    public bool HasSignal => Rewards.Distinct().Count() > 1;
}

/// <summary>The groups of one rollout round, in prompt order.</summary>
public sealed record RolloutBatch(IReadOnlyList<RolloutGroup> Groups)
{
    public IEnumerable<GenerationResult> Completions => Groups.SelectMany(g => g.Completions);
}
