namespace Rlpt.Decision.Environments;

/// <summary>
/// Dark Room as DPT defines it (Lee et al. 2023): a size × size grid, the agent starts at (0, 0) and observes only its
/// own (x, y); five actions (+x, −x, +y, −y, stay), moves clipped at the walls; reward 1 for every step that ends on
/// the goal, no termination, the episode is truncated at the horizon (100). The permuted variant maps the agent's
/// action index through a per-task permutation, so the task is to learn which button moves where. AD's variant
/// (Laskin et al.) is 9 × 9 with horizon 20.
/// </summary>
public sealed class DarkRoom : IGridTask
{
    public const int Actions = 5;
    private static readonly (int Dx, int Dy)[] Moves = [(1, 0), (-1, 0), (0, 1), (0, -1), (0, 0)];
    private readonly int[] permutation;
    private int x, y, t;

    public DarkRoom(int size, int horizon, (int X, int Y) goal, IReadOnlyList<int>? permutation = null, (int X, int Y) start = default)
    {
        if (size < 2) throw new ArgumentException($"Dark Room needs a size of at least 2 (got {size}).");
        if (horizon < 1) throw new ArgumentException($"horizon must be positive (got {horizon}).");
        if (goal.X < 0 || goal.Y < 0 || goal.X >= size || goal.Y >= size) throw new ArgumentException($"goal ({goal.X}, {goal.Y}) lies outside the {size}×{size} room.");
        this.permutation = permutation?.ToArray() ?? [.. Enumerable.Range(0, Actions)];
        if (this.permutation.Length != Actions || this.permutation.Order().Where((a, i) => a != i).Any())
            throw new ArgumentException("the action permutation must order the five actions.");
        Size = size;
        Horizon = horizon;
        Goal = goal;
        Start = start;
    }

    public int Size { get; }
    public int Horizon { get; }
    public (int X, int Y) Goal { get; }
    public (int X, int Y) Start { get; }
    public IReadOnlyList<int> Permutation => permutation;
    public int ObservationSize => 2;
    public int ActionCount => Actions;
    public int StateCount => Size * Size;
    public int State => x * Size + y;

    /// <summary>The same task with its own episode state (to play several episodes of one task side by side).</summary>
    public DarkRoom Clone() => new(Size, Horizon, Goal, permutation, Start);

    IGridTask IGridTask.Clone() => Clone();

    public float[] Reset()
    {
        (x, y, t) = (Start.X, Start.Y, 0);
        return [x, y];
    }

    public StepResult Step(int action)
    {
        if (action < 0 || action >= Actions) throw new ArgumentOutOfRangeException(nameof(action), $"Dark Room has {Actions} actions (got {action}).");
        if (t >= Horizon) throw new InvalidOperationException("the episode is over: call Reset.");
        (x, y) = Transit(x, y, action);
        t++;
        return new StepResult([x, y], x == Goal.X && y == Goal.Y ? 1.0 : 0.0, Terminated: false, Truncated: t == Horizon);
    }

    /// <summary>The state an action leads to from (x, y), without changing the episode (uniform roll-ins use it).</summary>
    public (int X, int Y) Transit(int fromX, int fromY, int action) => Move(Size, fromX, fromY, permutation[action]);

    /// <summary>Where move m (+x, −x, +y, −y, stay) leads from (x, y) in a size × size room, clipped at the walls.</summary>
    public static (int X, int Y) Move(int size, int fromX, int fromY, int move)
    {
        var (dx, dy) = Moves[move];
        return (Math.Clamp(fromX + dx, 0, size - 1), Math.Clamp(fromY + dy, 0, size - 1));
    }

    public double RewardAt(int atX, int atY) => atX == Goal.X && atY == Goal.Y ? 1.0 : 0.0;

    /// <summary>Closes the x gap first, then the y gap, then stays: the shortest path, then reward every step.</summary>
    public int OptimalAction(float[] observation) =>
        Array.IndexOf(permutation, GridTaskExtensions.StepTowards((int)observation[0], (int)observation[1], Goal.X, Goal.Y));

    public int OptimalAction() => OptimalAction([x, y]);

    /// <summary>A state drawn uniformly from the whole room (DPT's query states).</summary>
    public float[] RandomObservation(Random random) => [random.Next(Size), random.Next(Size)];

    /// <summary>Every goal of a size × size room in a fixed shuffled order (the seed), split into train and held-out goals.</summary>
    public static ((int X, int Y)[] Train, (int X, int Y)[] HeldOut) SplitGoals(int size, double trainFraction, int seed)
    {
        var goals = Enumerable.Range(0, size * size).Select(i => (X: i / size, Y: i % size)).ToArray();
        return TaskSampling.Split(goals, (int)Math.Round(goals.Length * trainFraction), seed);
    }

    /// <summary>All 120 orders of the five actions in a fixed shuffled order (the seed), the first <paramref name="train"/> for training.</summary>
    public static (int[][] Train, int[][] HeldOut) SplitPermutations(int seed, int train)
    {
        return TaskSampling.Split(Permutations([.. Enumerable.Range(0, Actions)]).ToArray(), train, seed);
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length == 1) { yield return items; yield break; }
        for (int i = 0; i < items.Length; i++)
            foreach (var rest in Permutations([.. items[..i], .. items[(i + 1)..]]))
                yield return [items[i], .. rest];
    }
}
