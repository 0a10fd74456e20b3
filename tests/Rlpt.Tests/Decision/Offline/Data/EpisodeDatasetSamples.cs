using System.Globalization;
using Rlpt.Decision.Offline.Data;

namespace Rlpt.Tests.Decision.Offline.Data;

/// <summary>Datasets with awkward floats (negative zero, the smallest subnormal, the extremes) and a bitwise comparison.</summary>
internal static class EpisodeDatasetSamples
{
    public static EpisodeDataset Make(int rows, int observationSize = 3, int actionSize = 2, int seed = 0)
    {
        var random = new Random(seed);
        float[] Values(int count) => Enumerable.Range(0, count).Select(i => (i % 7) switch
        {
            0 => -0f,
            1 => float.Epsilon,
            2 => float.MaxValue,
            3 => -float.MaxValue,
            _ => (float)(random.NextDouble() * 20 - 10),
        }).ToArray();
        var metadata = new Dictionary<string, string>
        {
            ["environment"] = "hopper-medium-v2",
            ["seed"] = seed.ToString(CultureInfo.InvariantCulture),
            ["note"] = "ünïcode ✓, with = and spaces",
            ["empty"] = "",
        };
        return new EpisodeDataset(observationSize, actionSize, Values(rows * observationSize), Values(rows * actionSize), Values(rows),
            Values(rows * observationSize), Enumerable.Range(0, rows).Select(i => i % 11 == 5).ToArray(),
            Enumerable.Range(0, rows).Select(i => i % 11 == 10).ToArray(), metadata);
    }

    public static void AssertBitwiseEqual(EpisodeDataset expected, EpisodeDataset actual)
    {
        Assert.Equal(expected.ObservationSize, actual.ObservationSize);
        Assert.Equal(expected.ActionSize, actual.ActionSize);
        Assert.Equal(Bits(expected.Observations), Bits(actual.Observations));
        Assert.Equal(Bits(expected.Actions), Bits(actual.Actions));
        Assert.Equal(Bits(expected.Rewards), Bits(actual.Rewards));
        Assert.Equal(Bits(expected.NextObservations), Bits(actual.NextObservations));
        Assert.Equal(expected.Terminals, actual.Terminals);
        Assert.Equal(expected.Timeouts, actual.Timeouts);
        Assert.Equal(expected.Metadata.OrderBy(e => e.Key, StringComparer.Ordinal), actual.Metadata.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Episodes, actual.Episodes);
    }

    /// <summary>Asserts a one-line refusal that names the file and says what is wrong.</summary>
    public static void AssertRefused(string path, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => EpisodeDatasetFiles.Load(path));
        Assert.StartsWith(path + ":", error.Message);
        Assert.True(error.Message.Contains(problem, StringComparison.Ordinal), error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
