using Rlpt.Decision.Offline.Data;

namespace Rlpt.Decision.Offline.Statistics;

/// <summary>One dataset's measures: size, episode returns, trajectory quality and state-action coverage.</summary>
public sealed record DatasetMeasures(string Name, int Transitions, int Episodes, double MeanReturn, double ReturnStd, double MinReturn, double MaxReturn,
    double UniqueStateActions, double? TrajectoryQuality, double? StateActionCoverage);

/// <summary>
/// Schweighofer et al.'s dataset measures. Trajectory quality TQ = (ḡ(D) − ḡ(D_random)) / (ḡ(D_expert) − ḡ(D_random))
/// with ḡ the mean episode return (exploitation); state-action coverage SACo = u(D) / u(D_replay), u the number of
/// unique discretised (s, a) pairs counted with HyperLogLog (exploration). TQ's references are the datasets' own
/// reference returns (written by `rlpt offline collect`) unless given; SACo's reference is the replay dataset.
/// </summary>
public static class DatasetStatistics
{
    public static IReadOnlyList<DatasetMeasures> Measure(IReadOnlyDictionary<string, EpisodeDataset> datasets, (double Random, double Expert)? references, string? coverageReference, bool discreteActions)
    {
        var bins = StateActionBins.Covering(datasets.Values, discreteActions);
        var unique = datasets.ToDictionary(kv => kv.Key, kv => UniqueStateActions(kv.Value, bins));
        double? referenceCount = coverageReference is not null && unique.TryGetValue(coverageReference, out var count) ? count : null;
        return datasets.Select(kv =>
        {
            var returns = kv.Value.EpisodeReturns();
            double mean = returns.Average();
            double std = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / returns.Length);
            double? tq = references is var (random, expert) && expert != random ? (mean - random) / (expert - random) : null;
            return new DatasetMeasures(kv.Key, kv.Value.Count, kv.Value.Episodes.Count, mean, std, returns.Min(), returns.Max(), unique[kv.Key], tq,
                referenceCount is > 0 ? unique[kv.Key] / referenceCount : null);
        }).ToList();
    }

    public static double UniqueStateActions(EpisodeDataset dataset, StateActionBins bins)
    {
        var counter = new HyperLogLog();
        Span<byte> key = stackalloc byte[2 * (dataset.ObservationSize + dataset.ActionSize)];
        for (int row = 0; row < dataset.Count; row++)
        {
            bins.Key(dataset.Observation(row), dataset.Action(row), key);
            counter.Add(key);
        }
        return counter.Estimate();
    }
}
