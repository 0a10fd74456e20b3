namespace Rlpt.Decision.Environments;

/// <summary>
/// Key-to-Door as Algorithm Distillation defines it (Laskin et al.): Dark Room's grid, moves and observation (only the
/// agent's (x, y)), with an invisible key and an invisible door. Reward 1 the first time a step ends on the key, then 1
/// the first time a step ends on the door with the key held; nothing else, no termination, truncation at the horizon
/// (AD: 9 × 9, 50 steps). A task is a (key, door) pair of distinct cells: 81 · 80 = 6,480 on 9 × 9, AD's "6.5k tasks".
/// The agent starts every episode on a fixed cell (AD resets it at random; a fixed start keeps the task deterministic,
/// as Dark Room is here), so the optimal return is 2 whenever the two legs fit in the horizon.
/// </summary>
public sealed class KeyToDoor : IGridTask
{
    private const int SeekingKey = 0, HoldingKey = 1, DoorOpened = 2;
    private int x, y, t, phase;

    public KeyToDoor(int size, int horizon, (int X, int Y) key, (int X, int Y) door, (int X, int Y) start)
    {
        if (size < 2) throw new ArgumentException($"Key-to-Door needs a size of at least 2 (got {size}).");
        if (horizon < 1) throw new ArgumentException($"horizon must be positive (got {horizon}).");
        foreach (var (name, cell) in new[] { ("key", key), ("door", door), ("start", start) })
            if (cell.X < 0 || cell.Y < 0 || cell.X >= size || cell.Y >= size) throw new ArgumentException($"{name} ({cell.X}, {cell.Y}) lies outside the {size}×{size} room.");
        if (key == door) throw new ArgumentException($"the key and the door must lie on different cells (both at ({key.X}, {key.Y})).");
        Size = size;
        Horizon = horizon;
        Key = key;
        Door = door;
        Start = start;
    }

    public int Size { get; }
    public int Horizon { get; }
    public (int X, int Y) Key { get; }
    public (int X, int Y) Door { get; }
    public (int X, int Y) Start { get; }
    public int ObservationSize => 2;
    public int ActionCount => DarkRoom.Actions;
    public int StateCount => 3 * Size * Size;
    public int State => (phase * Size + x) * Size + y;
    public bool HasKey => phase != SeekingKey;

    public IGridTask Clone() => new KeyToDoor(Size, Horizon, Key, Door, Start);

    public float[] Reset()
    {
        (x, y, t, phase) = (Start.X, Start.Y, 0, SeekingKey);
        return [x, y];
    }

    public StepResult Step(int action)
    {
        if (action < 0 || action >= DarkRoom.Actions) throw new ArgumentOutOfRangeException(nameof(action), $"Key-to-Door has {DarkRoom.Actions} actions (got {action}).");
        if (t >= Horizon) throw new InvalidOperationException("the episode is over: call Reset.");
        (x, y) = DarkRoom.Move(Size, x, y, action);
        t++;
        double reward = 0;
        if (phase == SeekingKey && (x, y) == Key) (phase, reward) = (HoldingKey, 1);
        else if (phase == HoldingKey && (x, y) == Door) (phase, reward) = (DoorOpened, 1);
        return new StepResult([x, y], reward, Terminated: false, Truncated: t == Horizon);
    }

    /// <summary>Towards the key, then towards the door; once the door is open nothing is left to earn (stay).</summary>
    public int OptimalAction() => phase switch
    {
        SeekingKey => GridTaskExtensions.StepTowards(x, y, Key.X, Key.Y),
        HoldingKey => GridTaskExtensions.StepTowards(x, y, Door.X, Door.Y),
        _ => 4,
    };

    /// <summary>Every (key, door) pair of distinct cells in a fixed shuffled order (the seed), split into train and held-out tasks.</summary>
    public static (((int X, int Y) Key, (int X, int Y) Door)[] Train, ((int X, int Y) Key, (int X, int Y) Door)[] HeldOut) SplitTasks(int size, double trainFraction, int seed)
    {
        int cells = size * size;
        var pairs = Enumerable.Range(0, cells).SelectMany(k => Enumerable.Range(0, cells).Where(d => d != k)
            .Select(d => (Key: (k / size, k % size), Door: (d / size, d % size)))).ToArray();
        return TaskSampling.Split(pairs, (int)Math.Round(pairs.Length * trainFraction), seed);
    }
}
