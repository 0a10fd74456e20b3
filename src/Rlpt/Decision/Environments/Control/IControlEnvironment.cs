namespace Rlpt.Decision.Environments.Control;

/// <summary>
/// An action space in Gymnasium's two shapes: <c>Discrete(n)</c> (an action is one float holding the index) or a
/// <c>Box</c> of <see cref="Size"/> values in [<see cref="Low"/>, <see cref="High"/>].
/// </summary>
public sealed record ActionSpace(bool Discrete, int Size, int Count, float Low, float High)
{
    public static ActionSpace OfCount(int count) => new(true, 1, count, 0, count - 1);

    public static ActionSpace Box(int size, float low, float high) => new(false, size, 0, low, high);

    /// <summary>A uniformly random action (Gymnasium's <c>action_space.sample()</c>).</summary>
    public float[] Sample(Random random) => Discrete
        ? [random.Next(Count)]
        : Enumerable.Range(0, Size).Select(_ => Low + (High - Low) * random.NextSingle()).ToArray();

    /// <summary>The index of a discrete action, refusing anything that is not one of the space's actions.</summary>
    public int Index(ReadOnlySpan<float> action)
    {
        if (!Discrete) throw new InvalidOperationException("a continuous action has no index.");
        if (action.Length != 1 || action[0] != MathF.Round(action[0]) || action[0] < 0 || action[0] >= Count)
            throw new ArgumentException($"a discrete action is one index in 0..{Count - 1} (got [{string.Join(", ", action.ToArray())}]).");
        return (int)action[0];
    }
}

/// <summary>
/// A classic-control task with Gymnasium's dynamics, constants, termination and truncation: <see cref="Reset"/> draws
/// the initial state from the caller's random source (so episodes are reproducible from a seed), <see cref="Step"/>
/// advances one step and truncates at <see cref="MaxEpisodeSteps"/> (the TimeLimit wrapper's default for the id).
/// </summary>
public interface IControlEnvironment
{
    /// <summary>The Gymnasium id, e.g. CartPole-v1.</summary>
    string Id { get; }

    int ObservationSize { get; }

    /// <summary>Gymnasium's observation_space bounds (infinite where the task has none).</summary>
    float[] ObservationLow { get; }

    float[] ObservationHigh { get; }

    ActionSpace Actions { get; }

    int MaxEpisodeSteps { get; }

    float[] Reset(Random random);

    StepResult Step(ReadOnlySpan<float> action);
}

/// <summary>Counts steps since <see cref="IControlEnvironment.Reset"/> and refuses a step before a reset or after the episode ended.</summary>
public abstract class ControlEnvironment : IControlEnvironment
{
    private int steps = -1;

    public abstract string Id { get; }
    public abstract int ObservationSize { get; }
    public abstract float[] ObservationLow { get; }
    public abstract float[] ObservationHigh { get; }
    public abstract ActionSpace Actions { get; }
    public abstract int MaxEpisodeSteps { get; }

    public float[] Reset(Random random)
    {
        steps = 0;
        ResetState(random);
        return Observe();
    }

    public StepResult Step(ReadOnlySpan<float> action)
    {
        if (steps < 0) throw new InvalidOperationException($"{Id}: step called before reset, or after the episode ended.");
        var (reward, terminated) = Advance(action);
        steps++;
        bool truncated = !terminated && steps >= MaxEpisodeSteps;
        if (terminated || truncated) steps = -1;
        return new StepResult(Observe(), reward, terminated, truncated);
    }

    protected abstract void ResetState(Random random);

    /// <summary>Applies one action to the state; returns the reward and whether a terminal state was reached.</summary>
    protected abstract (double Reward, bool Terminated) Advance(ReadOnlySpan<float> action);

    protected abstract float[] Observe();

    /// <summary>Gymnasium's <c>np_random.uniform(low, high)</c>.</summary>
    protected static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();
}
