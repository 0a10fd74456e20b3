using Rlpt.Decision.Offline.Data;

namespace Rlpt.Decision.Offline.Online;

/// <summary>Two transition sources addressed as one: rows 0 … first.Count − 1 are the first's, the rest the second's.</summary>
public sealed class CombinedTransitions(ITransitionSource first, ITransitionSource second) : ITransitionSource
{
    public int Count => first.Count + second.Count;
    public int ObservationSize => first.ObservationSize;
    public int ActionSize => first.ActionSize;
    public ReadOnlySpan<float> Observation(int row) => row < first.Count ? first.Observation(row) : second.Observation(row - first.Count);
    public ReadOnlySpan<float> NextObservation(int row) => row < first.Count ? first.NextObservation(row) : second.NextObservation(row - first.Count);
    public ReadOnlySpan<float> Action(int row) => row < first.Count ? first.Action(row) : second.Action(row - first.Count);
    public float Reward(int row) => row < first.Count ? first.Reward(row) : second.Reward(row - first.Count);
    public bool Terminal(int row) => row < first.Count ? first.Terminal(row) : second.Terminal(row - first.Count);
}
