using Rlpt.Decision.Environments;

namespace Rlpt.Decision.InContext.Ad;

/// <summary>A learner whose run on one task becomes a learning history: it acts, sees each transition, and improves.</summary>
public interface ISourceLearner
{
    int Act(float[] observation, int episode, Random random);

    void Observe(float[] observation, int action, double reward, float[] next, bool done);
}

/// <summary>The source learners AD distils, by name.</summary>
public static class SourceLearners
{
    public static readonly string[] Names = ["epsilon", "qlearning"];

    public static ISourceLearner Create(string name, DarkRoom room, int episodes) => name switch
    {
        "epsilon" => new EpsilonDecaySource(room, episodes),
        "qlearning" => new QLearningSource(room.Size, room.ActionCount, episodes),
        _ => throw new ArgumentException($"unknown source learner '{name}' (known: {string.Join(", ", Names)})."),
    };
}

/// <summary>
/// AD^ε's source (arXiv 2312.12275): the optimal policy with ε-greedy noise, ε falling linearly from 1 at the first
/// episode to 0 at 90% of the episodes, then acting optimally. It imitates a learner's improvement without training one.
/// </summary>
public sealed class EpsilonDecaySource(DarkRoom room, int episodes) : ISourceLearner
{
    public double Epsilon(int episode) => Math.Max(0, 1 - episode / (0.9 * Math.Max(1, episodes - 1)));

    public int Act(float[] observation, int episode, Random random) =>
        random.NextDouble() < Epsilon(episode) ? random.Next(room.ActionCount) : room.OptimalAction(observation);

    public void Observe(float[] observation, int action, double reward, float[] next, bool done) { }
}

/// <summary>
/// Tabular Q-learning on a grid's (x, y) states: Q ← Q + α (r + γ max Q(s′) − Q), ε-greedy with ε falling linearly
/// from 1 to 0.05 over the first 80% of the episodes, ties broken at random. α = 0.5 and γ = 0.9 suit Dark Room's
/// deterministic moves and 20-step episodes; truncation at the horizon bootstraps (it is not a terminal state).
/// </summary>
public sealed class QLearningSource(int size, int actions, int episodes, double alpha = 0.5, double gamma = 0.9) : ISourceLearner
{
    private readonly double[] q = new double[size * size * actions];

    public double Epsilon(int episode) => Math.Max(0.05, 1 - episode / (0.8 * Math.Max(1, episodes - 1)));

    public int Act(float[] observation, int episode, Random random)
    {
        if (random.NextDouble() < Epsilon(episode)) return random.Next(actions);
        int s = State(observation);
        double best = Enumerable.Range(0, actions).Max(a => q[s * actions + a]);
        var ties = Enumerable.Range(0, actions).Where(a => q[s * actions + a] == best).ToArray();
        return ties[random.Next(ties.Length)];
    }

    public void Observe(float[] observation, int action, double reward, float[] next, bool done)
    {
        int s = State(observation), n = State(next);
        double target = reward + gamma * Enumerable.Range(0, actions).Max(a => q[n * actions + a]);
        q[s * actions + action] += alpha * (target - q[s * actions + action]);
    }

    public double Value(float[] observation, int action) => q[State(observation) * actions + action];

    private int State(float[] observation) => (int)observation[0] * size + (int)observation[1];
}
