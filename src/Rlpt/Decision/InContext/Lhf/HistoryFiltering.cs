using Rlpt.Decision.Environments;
using Rlpt.Decision.InContext.Ad;

namespace Rlpt.Decision.InContext.Lhf;

/// <summary>
/// Learning-history filtering (LHF): score each history by how much and how steadily its source improved, then
/// resample the dataset towards the better histories. With episode returns R_1 … R_E and the task's best return R_max:
/// improvement = (mean R + (max R − min R)) / (2 R_max), stability = 1 + mean_e min(R_{e+1} − R_e, 0) / R_max, and
/// U = improvement + λ·stability. Within each task the scores are min-max normalised into keep probabilities, and the
/// task's histories are redrawn with replacement in proportion to them, back to the task's original count.
/// </summary>
public static class HistoryFiltering
{
    public static double Improvement(IReadOnlyList<double> returns, double bestReturn) =>
        (returns.Average() + (returns.Max() - returns.Min())) / (2 * bestReturn);

    public static double Stability(IReadOnlyList<double> returns, double bestReturn) =>
        returns.Count < 2 ? 1 : 1 + Enumerable.Range(0, returns.Count - 1).Average(e => Math.Min(returns[e + 1] - returns[e], 0)) / bestReturn;

    public static double Score(IReadOnlyList<double> returns, double bestReturn, double lambda) =>
        Improvement(returns, bestReturn) + lambda * Stability(returns, bestReturn);

    /// <summary>Min-max normalised scores; equal scores all keep probability 1.</summary>
    public static double[] KeepProbabilities(IReadOnlyList<double> scores)
    {
        double min = scores.Min(), max = scores.Max();
        return scores.Select(s => max > min ? (s - min) / (max - min) : 1.0).ToArray();
    }

    /// <summary>The filtered dataset: per task, the original number of histories redrawn by keep probability.</summary>
    public static LearningHistories Filter(LearningHistories data, double lambda, int seed)
    {
        if (data.Family.IsBandit) throw new ArgumentException("LHF filters multi-episode grid histories (a bandit history is one episode).");
        var tasks = data.Family.GridTasks(heldOut: false);
        var random = new Random(seed);
        var chosen = new List<int>(data.Count);
        foreach (var group in Enumerable.Range(0, data.Count).GroupBy(h => data.Tasks[h]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            double best = tasks[group.Key].OptimalReturn();
            var keep = KeepProbabilities(members.Select(h => Score(data.EpisodeReturns(h), best, lambda)).ToArray());
            double total = keep.Sum();
            var weights = keep.Select(k => k / total).ToArray();
            for (int i = 0; i < members.Length; i++) chosen.Add(members[random.NextCategorical(weights)]);
        }
        return data.Select(chosen);
    }
}
