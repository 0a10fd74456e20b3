using Rlpt.Decision.Environments;

namespace Rlpt.Decision.InContext.Ad;

/// <summary>A learner whose run on one task becomes a learning history: it acts, sees each transition, and improves.</summary>
public interface ISourceLearner
{
    /// <summary>The action to take in the task's current state.</summary>
    int Act(IGridTask task, int episode, Random random);

    /// <summary>One executed transition, between full task states (<see cref="IGridTask.State"/>).</summary>
    void Observe(int state, int action, double reward, int next);
}

/// <summary>The source learners AD distils, by name.</summary>
public static class SourceLearners
{
    public static readonly string[] Names = ["epsilon", "qlearning"];

    /// <param name="speed">
    /// How fast the learner improves, in (0, 1]: at speed s, ε reaches its floor after 1/s times as many episodes and
    /// Q-learning's step size is 0.5·s. Speed 1 is the standard learner; slower ones give histories of lower quality.
    /// </param>
    public static ISourceLearner Create(string name, IGridTask task, int episodes, double speed = 1) => name switch
    {
        "epsilon" => new EpsilonDecaySource(episodes, speed),
        "qlearning" => new QLearningSource(task.StateCount, task.ActionCount, episodes, alpha: 0.5 * speed, speed: speed),
        _ => throw new ArgumentException($"unknown source learner '{name}' (known: {string.Join(", ", Names)})."),
    };
}

/// <summary>
/// AD^ε's source (arXiv 2312.12275): the optimal policy with ε-greedy noise, ε falling linearly from 1 at the first
/// episode to 0 at 90% of the episodes (divided by the speed), then acting optimally. It imitates a learner's
/// improvement without training one.
/// </summary>
public sealed class EpsilonDecaySource(int episodes, double speed = 1) : ISourceLearner
{
    public double Epsilon(int episode) => Math.Max(0, 1 - episode * speed / (0.9 * Math.Max(1, episodes - 1)));

    public int Act(IGridTask task, int episode, Random random) =>
        random.NextDouble() < Epsilon(episode) ? random.Next(task.ActionCount) : task.OptimalAction();

    public void Observe(int state, int action, double reward, int next) { }
}

/// <summary>
/// Tabular Q-learning on a task's full states: Q ← Q + α (r + γ max Q(s′) − Q), ε-greedy with ε falling linearly
/// from 1 to 0.05 over the first 80% of the episodes (divided by the speed), ties broken at random. α = 0.5 and
/// γ = 0.9 suit Dark Room's deterministic moves and 20-step episodes; truncation at the horizon bootstraps (it is not
/// a terminal state).
/// </summary>
public sealed class QLearningSource(int states, int actions, int episodes, double alpha = 0.5, double gamma = 0.9, double speed = 1) : ISourceLearner
{
    private readonly double[] q = new double[states * actions];

    public double Epsilon(int episode) => Math.Max(0.05, 1 - episode * speed / (0.8 * Math.Max(1, episodes - 1)));

    public int Act(IGridTask task, int episode, Random random)
    {
        if (random.NextDouble() < Epsilon(episode)) return random.Next(actions);
        int s = task.State;
        double best = Enumerable.Range(0, actions).Max(a => q[s * actions + a]);
        var ties = Enumerable.Range(0, actions).Where(a => q[s * actions + a] == best).ToArray();
        return ties[random.Next(ties.Length)];
    }

    public void Observe(int state, int action, double reward, int next)
    {
        double target = reward + gamma * Enumerable.Range(0, actions).Max(a => q[next * actions + a]);
        q[state * actions + action] += alpha * (target - q[state * actions + action]);
    }

    public double Value(int state, int action) => q[state * actions + action];
}
