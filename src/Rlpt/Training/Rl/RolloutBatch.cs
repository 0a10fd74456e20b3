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

/// <summary>
/// The groups of one rollout round, in prompt order, then any groups the reward stage derived from them (<see cref="Add"/>).
/// </summary>
public sealed class RolloutBatch(IEnumerable<RolloutGroup> groups)
{
    private readonly List<RolloutGroup> groups = [.. groups];

    public IReadOnlyList<RolloutGroup> Groups => groups;

    public IEnumerable<GenerationResult> Completions => Groups.SelectMany(g => g.Completions);

    /// <summary>
    /// A group the reward stage rolled out from the batch's own completions (PretrainZero's predictor rollouts on the
    /// masks its generator proposed), scored already. It passes the filter, advantage and loss stages like the others,
    /// so it must hold as many completions as every group (G).
    /// </summary>
    public void Add(RolloutGroup group)
    {
        if (groups.Count > 0 && group.Completions.Count != groups[0].Completions.Count)
            throw new ArgumentException($"a derived group holds {group.Completions.Count} completions; the batch's groups hold {groups[0].Completions.Count}.");
        groups.Add(group);
    }
}
