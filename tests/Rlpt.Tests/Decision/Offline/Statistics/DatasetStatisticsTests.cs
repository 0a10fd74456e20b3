using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Statistics;

namespace Rlpt.Tests.Decision.Offline.Statistics;

public sealed class DatasetStatisticsTests
{
    [Fact]
    public void HyperLogLogCountsDistinctItemsWithinAFewPercent()
    {
        foreach (int n in new[] { 50, 5_000, 200_000 })
        {
            var counter = new HyperLogLog();
            for (int repeat = 0; repeat < 2; repeat++)
                for (int i = 0; i < n; i++) counter.Add(BitConverter.GetBytes(i));
            Assert.InRange(counter.Estimate(), 0.97 * n, 1.03 * n);
        }
    }

    [Fact]
    public void TrajectoryQualityAndCoverageFollowTheirDefinitions()
    {
        // Observations 0..4 map to distinct bins over the common range [0, 4]; actions are indices.
        var replay = OfflineTestData.FromEpisodes([(0f, 0f, 0f), (1f, 1f, 0f), (2f, 0f, 0f), (3f, 1f, 0f)], [(4f, 0f, 4f), (4f, 1f, 0f)]);
        var narrow = OfflineTestData.FromEpisodes([(0f, 0f, 1f), (0f, 0f, 1f)], [(1f, 1f, 2f)]);
        var datasets = new Dictionary<string, EpisodeDataset> { ["replay"] = replay, ["narrow"] = narrow };
        var measures = DatasetStatistics.Measure(datasets, references: (Random: 0, Expert: 4), coverageReference: "replay", discreteActions: true).ToDictionary(m => m.Name);
        // replay: 6 unique pairs, returns 0 and 4 (mean 2, TQ 0.5); narrow: 2 unique pairs, returns 2 and 2 (TQ 0.5), SACo 2/6.
        Assert.InRange(measures["replay"].UniqueStateActions, 5.99, 6.01); // linear counting: 2^14·ln(2^14 / (2^14 − 6))
        Assert.InRange(measures["narrow"].UniqueStateActions, 1.99, 2.01);
        Assert.Equal(1.0, measures["replay"].StateActionCoverage!.Value, 1e-9);
        Assert.Equal(2.0 / 6, measures["narrow"].StateActionCoverage!.Value, 3);
        Assert.Equal(0.5, measures["replay"].TrajectoryQuality!.Value, 1e-12);
        Assert.Equal(0.5, measures["narrow"].TrajectoryQuality!.Value, 1e-12);
        Assert.Equal(2, measures["narrow"].Episodes);
        Assert.Null(DatasetStatistics.Measure(datasets, null, null, true)[0].TrajectoryQuality);
    }
}
