namespace Rlpt.Decision.Environments;

/// <summary>
/// A grid task played episode after episode (Dark Room, Key-to-Door): AD's source learners learn on it and its
/// in-context evaluation plays it. The observation is only the agent's (x, y); <see cref="State"/> indexes the full
/// Markov state, which may hold more (whether Key-to-Door's key is held), for tabular learners and the optimal policy.
/// </summary>
public interface IGridTask : IEpisodicEnvironment
{
    int Size { get; }

    /// <summary>The number of distinct <see cref="State"/> values.</summary>
    int StateCount { get; }

    /// <summary>The current episode's full state, in 0 … <see cref="StateCount"/> − 1.</summary>
    int State { get; }

    /// <summary>An optimal action in the current state.</summary>
    int OptimalAction();

    /// <summary>The same task with its own episode state (to play several episodes of one task side by side).</summary>
    IGridTask Clone();
}

public static class GridTaskExtensions
{
    /// <summary>The optimal return, computed by acting optimally (not assumed from a formula).</summary>
    public static double OptimalReturn(this IGridTask task) => task.Rollout(_ => task.OptimalAction());

    /// <summary>The action that moves from (x, y) one step towards (toX, toY): the x gap first, then y; stay when there.</summary>
    public static int StepTowards(int x, int y, int toX, int toY) =>
        x < toX ? 0 : x > toX ? 1 : y < toY ? 2 : y > toY ? 3 : 4;
}
