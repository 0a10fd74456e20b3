using Rlpt.Decision.Environments;

namespace Rlpt.Decision.InContext.Dpt;

/// <summary>
/// DPT's pretraining data (Lee et al. 2023): N samples, each an in-context dataset of n transitions (s, a, s′, r) from
/// one task, a query state and the optimal action there. Held in flat arrays (sample-major) and saved as one
/// safetensors file whose metadata holds the task family, so a dataset says which tasks it came from.
/// </summary>
public sealed class TransitionContexts
{
    /// <summary>The files of a data folder that `rlpt icrl data` writes.</summary>
    public const string TrainFile = "train.safetensors", HeldOutFile = "held_out.safetensors";

    public TransitionContexts(TaskFamily family, int count, int contextLength, string split)
    {
        Family = family;
        Count = count;
        ContextLength = contextLength;
        Split = split;
        int obs = family.ObservationSize;
        Observations = new float[count * contextLength * obs];
        Actions = new int[count * contextLength];
        NextObservations = new float[count * contextLength * obs];
        Rewards = new float[count * contextLength];
        QueryObservations = new float[count * obs];
        OptimalActions = new int[count];
        Tasks = new int[count];
    }

    public TaskFamily Family { get; }
    public int Count { get; }
    public int ContextLength { get; }
    /// <summary>"train" or "held_out": which of the family's tasks the contexts come from.</summary>
    public string Split { get; }
    public float[] Observations { get; }
    public int[] Actions { get; }
    public float[] NextObservations { get; }
    public float[] Rewards { get; }
    public float[] QueryObservations { get; }
    public int[] OptimalActions { get; }
    /// <summary>The task index within the split (Dark Room) or the sample's own task (bandits).</summary>
    public int[] Tasks { get; }

    /// <summary>The summed reward of one sample's context (the "context return" DPT reports).</summary>
    public double ContextReturn(int sample)
    {
        double total = 0;
        foreach (float reward in Rewards.AsSpan(sample * ContextLength, ContextLength)) total += reward;
        return total;
    }

    public void Save(string path)
    {
        long n = Count, t = ContextLength, o = Family.ObservationSize;
        TaskDataFile.Save(path, Family, new Dictionary<string, string> { ["split"] = Split },
            ("observations", Observations, [n, t, o]), ("actions", Actions, [n, t]), ("next_observations", NextObservations, [n, t, o]),
            ("rewards", Rewards, [n, t]), ("query_observations", QueryObservations, [n, o]), ("optimal_actions", OptimalActions, [n]), ("tasks", Tasks, [n]));
    }

    public static TransitionContexts Load(string path)
    {
        using var file = TaskDataFile.Open(path, "DPT contexts", "rlpt icrl data");
        var family = file.Family;
        var shape = file.Shape("observations");
        if (shape.Length != 3 || shape[2] != family.ObservationSize)
            throw new InvalidDataException($"{path}: observations are [{string.Join(", ", shape)}], expected [contexts, length, {family.ObservationSize}] for {family.Name}.");
        long n = shape[0], t = shape[1], o = shape[2];
        var contexts = new TransitionContexts(family, (int)n, (int)t, file.Field("split"));
        file.Read("observations", [n, t, o], contexts.Observations);
        file.Read("actions", [n, t], contexts.Actions);
        file.Read("next_observations", [n, t, o], contexts.NextObservations);
        file.Read("rewards", [n, t], contexts.Rewards);
        file.Read("query_observations", [n, o], contexts.QueryObservations);
        file.Read("optimal_actions", [n], contexts.OptimalActions);
        file.Read("tasks", [n], contexts.Tasks);
        if (contexts.Actions.Any(a => a < 0 || a >= family.ActionCount) || contexts.OptimalActions.Any(a => a < 0 || a >= family.ActionCount))
            throw new InvalidDataException($"{path}: an action lies outside 0..{family.ActionCount - 1}.");
        return contexts;
    }
}
