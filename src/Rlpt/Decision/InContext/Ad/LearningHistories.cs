using System.Text.Json;
using Rlpt.Decision.Environments;
using Rlpt.Interop.HuggingFace;
using static TorchSharp.torch;

namespace Rlpt.Decision.InContext.Ad;

/// <summary>
/// Algorithm Distillation's data (Laskin et al.): learning histories, each a source learner's whole run on one task,
/// episode after episode, as (observation, action, reward) per step. Held in flat arrays (history-major) and saved as
/// one safetensors file whose metadata holds the task family, the source and the horizon.
/// </summary>
public sealed class LearningHistories
{
    /// <summary>The files of a data folder that `rlpt icrl data --method ad` writes.</summary>
    public const string TrainFile = "histories.safetensors", HeldOutFile = "held_out_histories.safetensors";

    public LearningHistories(TaskFamily family, int count, int episodes, string source)
    {
        Family = family;
        Count = count;
        Episodes = episodes;
        Source = source;
        Observations = new float[count * Length * family.ObservationSize];
        Actions = new int[count * Length];
        Rewards = new float[count * Length];
        Tasks = new int[count];
    }

    public TaskFamily Family { get; }
    public int Count { get; }
    public int Episodes { get; }
    public int Horizon => Family.Horizon;
    /// <summary>Steps per history: episodes × horizon.</summary>
    public int Length => Episodes * Family.Horizon;
    /// <summary>The learner that made the histories (epsilon, qlearning), with its noise, for the record.</summary>
    public string Source { get; }
    public float[] Observations { get; }
    public int[] Actions { get; }
    public float[] Rewards { get; }
    /// <summary>The task of each history (an index into the family's train split, or its held-out split for held-out histories).</summary>
    public int[] Tasks { get; }

    /// <summary>The return of each episode of one history.</summary>
    public double[] EpisodeReturns(int history)
    {
        var returns = new double[Episodes];
        for (int e = 0; e < Episodes; e++)
            for (int t = 0; t < Horizon; t++) returns[e] += Rewards[history * Length + e * Horizon + t];
        return returns;
    }

    /// <summary>A dataset of the given histories in order (repeats allowed), e.g. after filtering.</summary>
    public LearningHistories Select(IReadOnlyList<int> histories)
    {
        var result = new LearningHistories(Family, histories.Count, Episodes, Source);
        int o = Family.ObservationSize;
        for (int i = 0; i < histories.Count; i++)
        {
            int h = histories[i];
            Array.Copy(Observations, h * Length * o, result.Observations, i * Length * o, Length * o);
            Array.Copy(Actions, h * Length, result.Actions, i * Length, Length);
            Array.Copy(Rewards, h * Length, result.Rewards, i * Length, Length);
            result.Tasks[i] = Tasks[h];
        }
        return result;
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        long n = Count, t = Length, o = Family.ObservationSize;
        using var scope = NewDisposeScope();
        SafeTensors.Save(path, new Dictionary<string, Tensor>
        {
            ["observations"] = tensor(Observations, [n, t, o]),
            ["actions"] = tensor(Actions, [n, t]),
            ["rewards"] = tensor(Rewards, [n, t]),
            ["tasks"] = tensor(Tasks, [n]),
        }, new Dictionary<string, string>
        {
            ["environment"] = JsonSerializer.Serialize(Family),
            ["episodes"] = Episodes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["source"] = Source,
        });
    }

    public static LearningHistories Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no learning histories at {path} (make them with `rlpt icrl data --method ad`).", path);
        TaskFamily family;
        int episodes;
        string source;
        using (var file = SafeTensors.Open(path))
        {
            if (!file.Metadata.TryGetValue("environment", out var environment) || !file.Metadata.TryGetValue("episodes", out var savedEpisodes)
                || !int.TryParse(savedEpisodes, System.Globalization.CultureInfo.InvariantCulture, out episodes))
                throw new InvalidDataException($"{path}: not a learning-histories file (no environment or episodes in its metadata).");
            family = JsonSerializer.Deserialize<TaskFamily>(environment) ?? throw new InvalidDataException($"{path}: empty environment.");
            family.Validate();
            source = file.Metadata.GetValueOrDefault("source", "");
        }
        using var scope = NewDisposeScope();
        var tensors = SafeTensors.Load(path);
        Tensor Get(string name)
        {
            if (!tensors.TryGetValue(name, out var value)) throw new InvalidDataException($"{path}: '{name}' is missing.");
            return value;
        }
        var observations = Get("observations");
        if (observations.dim() != 3 || observations.shape[1] != (long)episodes * family.Horizon || observations.shape[2] != family.ObservationSize)
            throw new InvalidDataException($"{path}: observations [{string.Join(", ", observations.shape)}] do not match {episodes} episodes of {family.Horizon} steps.");
        var histories = new LearningHistories(family, (int)observations.shape[0], episodes, source);
        observations.data<float>().CopyTo(histories.Observations, 0);
        Get("actions").data<int>().CopyTo(histories.Actions, 0);
        Get("rewards").data<float>().CopyTo(histories.Rewards, 0);
        Get("tasks").data<int>().CopyTo(histories.Tasks, 0);
        if (histories.Actions.Any(a => a < 0 || a >= family.ActionCount)) throw new InvalidDataException($"{path}: an action lies outside 0..{family.ActionCount - 1}.");
        return histories;
    }
}
