using Rlpt.Training.Rl;

namespace Rlpt.Objectives.Empo;

/// <summary>EMPO's prompt filter: trains only on groups whose normalised semantic entropy lies in the configured band.</summary>
public sealed class EntropyBandFilter(EmpoOptions options) : IGroupFilter
{
    public string Name => "entropy_band";

    public bool Keep(RolloutGroup group) =>
        group.Stats.TryGetValue(SemanticClusterReward.EntropyStat, out var entropy)
            ? entropy >= options.MinEntropy - 1e-12 && entropy <= options.MaxEntropy + 1e-12
            : throw new InvalidOperationException("the entropy band filter needs the semantic-cluster reward to have scored the group.");
}
