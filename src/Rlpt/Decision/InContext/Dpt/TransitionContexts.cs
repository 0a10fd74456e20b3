using System.Text.Json;
using Rlpt.Decision.Environments;
using Rlpt.Interop.HuggingFace;
using static TorchSharp.torch;

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
    public double ContextReturn(int sample) => Rewards.AsSpan(sample * ContextLength, ContextLength).ToArray().Sum();

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        long n = Count, t = ContextLength, o = Family.ObservationSize;
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["observations"] = tensor(Observations, [n, t, o]),
            ["actions"] = tensor(Actions, [n, t]),
            ["next_observations"] = tensor(NextObservations, [n, t, o]),
            ["rewards"] = tensor(Rewards, [n, t]),
            ["query_observations"] = tensor(QueryObservations, [n, o]),
            ["optimal_actions"] = tensor(OptimalActions, [n]),
            ["tasks"] = tensor(Tasks, [n]),
        };
        SafeTensors.Save(path, tensors, new Dictionary<string, string>
        {
            ["environment"] = JsonSerializer.Serialize(Family),
            ["split"] = Split,
        });
    }

    public static TransitionContexts Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no DPT contexts at {path} (make them with `rlpt icrl data`).", path);
        TaskFamily family;
        string split;
        using (var file = SafeTensors.Open(path))
        {
            if (!file.Metadata.TryGetValue("environment", out var environment) || !file.Metadata.TryGetValue("split", out var savedSplit))
                throw new InvalidDataException($"{path}: not a DPT contexts file (no environment in its metadata).");
            family = JsonSerializer.Deserialize<TaskFamily>(environment) ?? throw new InvalidDataException($"{path}: empty environment.");
            family.Validate();
            split = savedSplit;
        }
        using var scope = NewDisposeScope();
        var tensors = SafeTensors.Load(path);
        Tensor Get(string name, int dims)
        {
            if (!tensors.TryGetValue(name, out var value) || value.dim() != dims) throw new InvalidDataException($"{path}: '{name}' is missing or has the wrong rank.");
            return value;
        }
        var observations = Get("observations", 3);
        int count = (int)observations.shape[0], length = (int)observations.shape[1];
        if (observations.shape[2] != family.ObservationSize) throw new InvalidDataException($"{path}: observations have {observations.shape[2]} features, {family.Name} has {family.ObservationSize}.");
        var contexts = new TransitionContexts(family, count, length, split);
        Get("observations", 3).data<float>().CopyTo(contexts.Observations, 0);
        Get("actions", 2).data<int>().CopyTo(contexts.Actions, 0);
        Get("next_observations", 3).data<float>().CopyTo(contexts.NextObservations, 0);
        Get("rewards", 2).data<float>().CopyTo(contexts.Rewards, 0);
        Get("query_observations", 2).data<float>().CopyTo(contexts.QueryObservations, 0);
        Get("optimal_actions", 1).data<int>().CopyTo(contexts.OptimalActions, 0);
        Get("tasks", 1).data<int>().CopyTo(contexts.Tasks, 0);
        if (contexts.Actions.Any(a => a < 0 || a >= family.ActionCount) || contexts.OptimalActions.Any(a => a < 0 || a >= family.ActionCount))
            throw new InvalidDataException($"{path}: an action lies outside 0..{family.ActionCount - 1}.");
        return contexts;
    }
}
