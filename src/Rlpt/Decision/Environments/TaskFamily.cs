using System.Text.Json.Serialization;

namespace Rlpt.Decision.Environments;

/// <summary>
/// A family of tasks that in-context learners train on and are tested on, saved with every dataset and model so
/// evaluation rebuilds the same tasks. Grid families have a finite set of tasks (Dark Room goals or action
/// permutations, Key-to-Door's key and door cells) split by <see cref="SplitSeed"/> into train and held-out tasks;
/// bandit families draw each task's arms from a seed.
/// </summary>
public sealed record TaskFamily
{
    public static readonly string[] Names = ["darkroom", "darkroom_permuted", "keytodoor", "bandit_gaussian", "bandit_bernoulli", "bandit_linear"];

    /// <summary>darkroom, darkroom_permuted (fixed goal in the far corner, actions permuted per task), keytodoor (AD's; 9 × 9, horizon 50 in the paper), bandit_gaussian, bandit_bernoulli, bandit_linear.</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "darkroom";
    /// <summary>Grid side length. Default: 10 (DPT's Dark Room).</summary>
    [JsonPropertyName("size")] public int Size { get; init; } = 10;
    /// <summary>Steps per episode (Dark Room) or pulls per task (bandits). Default: 100.</summary>
    [JsonPropertyName("horizon")] public int Horizon { get; init; } = 100;
    /// <summary>Bandit arms. Default: 5 (10 for bandit_linear).</summary>
    [JsonPropertyName("arms")] public int? ArmsOverride { get; init; }
    /// <summary>bandit_linear feature dimension. Default: 5.</summary>
    [JsonPropertyName("dimension")] public int Dimension { get; init; } = 5;
    /// <summary>Reward noise: σ of Gaussian arms (default 0.3), of linear rewards (default 1.5).</summary>
    [JsonPropertyName("noise")] public double? NoiseOverride { get; init; }
    /// <summary>Seed of the train/held-out split (Dark Room) and of the shared arm features (bandit_linear). Default: 0.</summary>
    [JsonPropertyName("split_seed")] public int SplitSeed { get; init; }
    /// <summary>Dark Room start cell: corner (0, 0), as DPT, or center, as AD's 9 × 9 room. Default: corner.</summary>
    [JsonPropertyName("start")] public string Start { get; init; } = "corner";
    /// <summary>Share of a grid family's tasks used for training. Default: 0.8 (DPT's 80 / 20).</summary>
    [JsonPropertyName("train_fraction")] public double TrainFraction { get; init; } = 0.8;
    /// <summary>Train on only the first N tasks of the training split (AD: Key-to-Door needs many tasks to learn in context). Default: all.</summary>
    [JsonPropertyName("train_tasks")] public int? TrainTasks { get; init; }

    [JsonIgnore] public bool IsBandit => Name.StartsWith("bandit_", StringComparison.Ordinal);
    [JsonIgnore] public int Arms => ArmsOverride ?? (Name == "bandit_linear" ? 10 : 5);
    [JsonIgnore] public double Noise => NoiseOverride ?? (Name == "bandit_linear" ? LinearBandit.DefaultNoise : GaussianBandit.DefaultSigma);
    /// <summary>Bandits have one constant observation (DPT feeds a zero state).</summary>
    [JsonIgnore] public int ObservationSize => IsBandit ? 1 : 2;
    [JsonIgnore] public int ActionCount => IsBandit ? Arms : DarkRoom.Actions;

    public void Validate()
    {
        if (!Names.Contains(Name)) throw new ArgumentException($"unknown environment '{Name}' (known: {string.Join(", ", Names)}).");
        if (Horizon < 1) throw new ArgumentException($"horizon must be positive (got {Horizon}).");
        if (IsBandit && Arms < 2) throw new ArgumentException($"a bandit needs at least 2 arms (got {Arms}).");
        if (!IsBandit && Size < 2) throw new ArgumentException($"a grid family needs a size of at least 2 (got {Size}).");
        if (TrainTasks is < 1) throw new ArgumentException($"train_tasks must be positive (got {TrainTasks}).");
        if (TrainFraction is <= 0 or >= 1) throw new ArgumentException($"train_fraction must lie in (0, 1) (got {TrainFraction}).");
        if (Start is not ("corner" or "center")) throw new ArgumentException($"start must be corner or center (got '{Start}').");
        if (NoiseOverride is < 0) throw new ArgumentException($"noise must be >= 0 (got {NoiseOverride}).");
    }

    /// <summary>The tasks of one split of a grid family (shuffled by the split seed; the training split cut to <see cref="TrainTasks"/>).</summary>
    public IReadOnlyList<IGridTask> GridTasks(bool heldOut)
    {
        if (Name != "keytodoor") return DarkRooms(heldOut);
        var (train, held) = KeyToDoor.SplitTasks(Size, TrainFraction, SplitSeed);
        return Limit(heldOut ? held : train, heldOut).Select(task => new KeyToDoor(Size, Horizon, task.Key, task.Door, StartCell)).ToArray();
    }

    /// <summary>The Dark Room tasks of one split (all goals, or all action permutations, shuffled by the split seed).</summary>
    public IReadOnlyList<DarkRoom> DarkRooms(bool heldOut)
    {
        if (IsBandit) throw new ArgumentException($"{Name} is a bandit family, not a Dark Room.");
        if (Name == "keytodoor") throw new ArgumentException("keytodoor hides whether the key is held, so no query state has a label: DPT needs darkroom or darkroom_permuted (train keytodoor with --method ad).");
        if (Name == "darkroom")
        {
            var (train, held) = DarkRoom.SplitGoals(Size, TrainFraction, SplitSeed);
            return Limit(heldOut ? held : train, heldOut).Select(g => new DarkRoom(Size, Horizon, g, start: StartCell)).ToArray();
        }
        var (trainOrders, heldOrders) = DarkRoom.SplitPermutations(SplitSeed, (int)Math.Round(120 * TrainFraction));
        return Limit(heldOut ? heldOrders : trainOrders, heldOut).Select(p => new DarkRoom(Size, Horizon, (Size - 1, Size - 1), p, StartCell)).ToArray();
    }

    private T[] Limit<T>(T[] split, bool heldOut) => heldOut || TrainTasks is null ? split : split[..Math.Min(TrainTasks.Value, split.Length)];

    private (int X, int Y) StartCell => Start == "center" ? (Size / 2, Size / 2) : (0, 0);

    /// <summary>A fresh bandit task of the family.</summary>
    public IBandit SampleBandit(Random random) => Name switch
    {
        "bandit_gaussian" => GaussianBandit.Sample(random, Arms, Noise),
        "bandit_bernoulli" => BernoulliBandit.Sample(random, Arms),
        "bandit_linear" => LinearBandit.Sample(random, LinearFeatures, Noise),
        _ => throw new InvalidOperationException($"{Name} is not a bandit family."),
    };

    /// <summary>The arm features every bandit_linear task shares.</summary>
    [JsonIgnore] public double[][] LinearFeatures => LinearBandit.SampleFeatures(SplitSeed, Arms, Dimension);
}
