namespace Rlpt.Training.Rl;

/// <summary>
/// The filter stage: which scored groups are trained on. With dynamic sampling the step draws further prompts until
/// prompts_per_step groups pass every filter (bounded); without it, groups that fail are dropped.
/// </summary>
public interface IGroupFilter
{
    string Name { get; }

    bool Keep(RolloutGroup group);
}

/// <summary>DAPO's filter: groups whose rewards are all equal carry no group-relative signal.</summary>
public sealed class NonConstantRewardFilter : IGroupFilter
{
    public string Name => "nonzero_std";

    public bool Keep(RolloutGroup group) => group.HasSignal;
}
