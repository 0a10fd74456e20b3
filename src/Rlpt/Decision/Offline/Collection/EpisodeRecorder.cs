using Rlpt.Decision.Environments;
using Rlpt.Decision.Offline.Data;

namespace Rlpt.Decision.Offline.Collection;

/// <summary>
/// Appends transitions as an agent plays and becomes an <see cref="EpisodeDataset"/>; meanwhile it is the replay
/// buffer online training samples from (every transition kept: the replay dataset is all the online run saw).
/// </summary>
public sealed class EpisodeRecorder(int observationSize, int actionSize) : ITransitionSource
{
    private readonly List<float> observations = [];
    private readonly List<float> actions = [];
    private readonly List<float> rewards = [];
    private readonly List<float> nextObservations = [];
    private readonly List<bool> terminals = [];
    private readonly List<bool> timeouts = [];

    public int Count => rewards.Count;
    public int ObservationSize => observationSize;
    public int ActionSize => actionSize;
    public int Episodes { get; private set; }

    public void Add(float[] observation, ReadOnlySpan<float> action, StepResult step)
    {
        observations.AddRange(observation);
        foreach (var value in action) actions.Add(value);
        rewards.Add((float)step.Reward);
        nextObservations.AddRange(step.Observation);
        terminals.Add(step.Terminated);
        timeouts.Add(step.Truncated);
        if (step.Done) Episodes++;
    }

    /// <summary>Appends every transition of another recording (mixed datasets).</summary>
    public void Append(EpisodeRecorder other)
    {
        observations.AddRange(other.observations);
        actions.AddRange(other.actions);
        rewards.AddRange(other.rewards);
        nextObservations.AddRange(other.nextObservations);
        terminals.AddRange(other.terminals);
        timeouts.AddRange(other.timeouts);
        Episodes += other.Episodes;
    }

    public ReadOnlySpan<float> Observation(int row) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(observations).Slice(row * observationSize, observationSize);
    public ReadOnlySpan<float> NextObservation(int row) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(nextObservations).Slice(row * observationSize, observationSize);
    public ReadOnlySpan<float> Action(int row) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(actions).Slice(row * actionSize, actionSize);
    public float Reward(int row) => rewards[row];
    public bool Terminal(int row) => terminals[row];

    public EpisodeDataset ToDataset(IReadOnlyDictionary<string, string> metadata) =>
        new(observationSize, actionSize, [.. observations], [.. actions], [.. rewards], [.. nextObservations], [.. terminals], [.. timeouts], metadata);
}
