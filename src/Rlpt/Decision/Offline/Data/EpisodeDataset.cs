namespace Rlpt.Decision.Offline.Data;

/// <summary>
/// An offline RL dataset of transitions in episode order, in D4RL's flat layout (d3rlpy's MDP dataset): row i holds
/// observation, action, reward, next observation, terminal (a terminal state was reached: no bootstrap) and timeout
/// (the episode was cut by the time limit: bootstrap from the next observation). An episode ends at the first row
/// whose terminal or timeout is set; the last row always ends one. Discrete actions are stored as one float holding the
/// action index. <see cref="Metadata"/> carries provenance (environment, kind, behaviour policy, seed, reference
/// returns) as strings.
/// </summary>
public sealed class EpisodeDataset : ITransitionSource
{
    public EpisodeDataset(int observationSize, int actionSize, float[] observations, float[] actions, float[] rewards,
        float[] nextObservations, bool[] terminals, bool[] timeouts, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (observationSize < 1 || actionSize < 1) throw new InvalidDataException($"observation size ({observationSize}) and action size ({actionSize}) must be positive.");
        int count = rewards.Length;
        if (count == 0) throw new InvalidDataException("the dataset has no transitions.");
        if (observations.Length != count * observationSize || nextObservations.Length != count * observationSize)
            throw new InvalidDataException($"observations hold {observations.Length} and next_observations {nextObservations.Length} values; {count} rows of {observationSize} need {count * observationSize}.");
        if (actions.Length != count * actionSize) throw new InvalidDataException($"actions hold {actions.Length} values; {count} rows of {actionSize} need {count * actionSize}.");
        if (terminals.Length != count || timeouts.Length != count) throw new InvalidDataException($"terminals ({terminals.Length}) and timeouts ({timeouts.Length}) must have one entry per row ({count}).");
        if (!observations.All(float.IsFinite) || !nextObservations.All(float.IsFinite) || !actions.All(float.IsFinite) || !rewards.All(float.IsFinite))
            throw new InvalidDataException("the dataset holds a non-finite observation, action or reward.");
        ObservationSize = observationSize;
        ActionSize = actionSize;
        Observations = observations;
        Actions = actions;
        Rewards = rewards;
        NextObservations = nextObservations;
        Terminals = terminals;
        Timeouts = timeouts;
        Metadata = metadata ?? new Dictionary<string, string>();
        Episodes = FindEpisodes();
    }

    public int Count => Rewards.Length;
    public int ObservationSize { get; }
    public int ActionSize { get; }
    public float[] Observations { get; }
    public float[] Actions { get; }
    public float[] Rewards { get; }
    public float[] NextObservations { get; }
    public bool[] Terminals { get; }
    public bool[] Timeouts { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Episodes as (first row, rows).</summary>
    public IReadOnlyList<(int Start, int Length)> Episodes { get; }

    /// <summary>The same transitions (the arrays shared, not copied) under other metadata.</summary>
    public EpisodeDataset WithMetadata(IReadOnlyDictionary<string, string> metadata) =>
        new(ObservationSize, ActionSize, Observations, Actions, Rewards, NextObservations, Terminals, Timeouts, metadata);

    /// <summary>The undiscounted return of each episode.</summary>
    public double[] EpisodeReturns() => Episodes.Select(e =>
    {
        double total = 0;
        foreach (var reward in Rewards.AsSpan(e.Start, e.Length)) total += reward;
        return total;
    }).ToArray();

    /// <summary>
    /// Discounted returns-to-go G_t = r_t + γ·G_(t+1) within each episode. A terminal row ends the sum; a time-limit cut
    /// continues it as if its last reward repeated forever (r/(1 − γ)), since the task itself goes on; Cal-QL uses G as
    /// a floor on values.
    /// </summary>
    public float[] ReturnsToGo(double gamma)
    {
        var returns = new float[Count];
        foreach (var (start, length) in Episodes)
        {
            int last = start + length - 1;
            double g = Terminals[last] || gamma >= 1 ? Rewards[last] : Rewards[last] / (1 - gamma);
            returns[last] = (float)g;
            for (int row = last - 1; row >= start; row--) returns[row] = (float)(g = Rewards[row] + gamma * g);
        }
        return returns;
    }

    public ReadOnlySpan<float> Observation(int row) => Observations.AsSpan(row * ObservationSize, ObservationSize);

    public ReadOnlySpan<float> NextObservation(int row) => NextObservations.AsSpan(row * ObservationSize, ObservationSize);

    public ReadOnlySpan<float> Action(int row) => Actions.AsSpan(row * ActionSize, ActionSize);

    public float Reward(int row) => Rewards[row];

    public bool Terminal(int row) => Terminals[row];

    private List<(int, int)> FindEpisodes()
    {
        var episodes = new List<(int, int)>();
        int start = 0;
        for (int row = 0; row < Count; row++)
            if (Terminals[row] || Timeouts[row] || row == Count - 1)
            {
                episodes.Add((start, row - start + 1));
                start = row + 1;
            }
        return episodes;
    }
}
