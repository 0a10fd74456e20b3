using System.Globalization;
using Rlpt.Decision.Environments;

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
        long n = Count, t = Length, o = Family.ObservationSize;
        TaskDataFile.Save(path, Family, new Dictionary<string, string> { ["episodes"] = Episodes.ToString(CultureInfo.InvariantCulture), ["source"] = Source },
            ("observations", Observations, [n, t, o]), ("actions", Actions, [n, t]), ("rewards", Rewards, [n, t]), ("tasks", Tasks, [n]));
    }

    public static LearningHistories Load(string path)
    {
        using var file = TaskDataFile.Open(path, "learning histories", "rlpt icrl data --method ad");
        var family = file.Family;
        if (!int.TryParse(file.Field("episodes"), CultureInfo.InvariantCulture, out int episodes) || episodes < 1)
            throw new InvalidDataException($"{path}: invalid episodes '{file.Field("episodes")}' in its metadata.");
        long n = file.Shape("observations")[0], t = (long)episodes * family.Horizon, o = family.ObservationSize;
        var histories = new LearningHistories(family, (int)n, episodes, file.Metadata.GetValueOrDefault("source", ""));
        file.Read("observations", [n, t, o], histories.Observations);
        file.Read("actions", [n, t], histories.Actions);
        file.Read("rewards", [n, t], histories.Rewards);
        file.Read("tasks", [n], histories.Tasks);
        if (histories.Actions.Any(a => a < 0 || a >= family.ActionCount)) throw new InvalidDataException($"{path}: an action lies outside 0..{family.ActionCount - 1}.");
        return histories;
    }
}
