namespace Rlpt.Decision.Offline.Statistics;

/// <summary>
/// Discretises (s, a) pairs for coverage counting: 100 equal bins per observation dimension over [low, high] (the range
/// over every dataset compared, so bins mean the same across them), a discrete action as its index, a continuous one
/// binned the same way over its own range.
/// </summary>
public sealed class StateActionBins
{
    public const int BinsPerDimension = 100;
    private readonly float[] low;
    private readonly float[] high;
    private readonly bool discreteActions;

    public StateActionBins(float[] low, float[] high, bool discreteActions)
    {
        if (low.Length != high.Length) throw new ArgumentException("low and high bounds differ in length.");
        this.low = low;
        this.high = high;
        this.discreteActions = discreteActions;
    }

    /// <summary>Bounds covering every row of the given datasets (observations, then actions).</summary>
    public static StateActionBins Covering(IEnumerable<Data.EpisodeDataset> datasets, bool discreteActions)
    {
        var list = datasets.ToList();
        int o = list[0].ObservationSize, a = list[0].ActionSize;
        var low = Enumerable.Repeat(float.PositiveInfinity, o + a).ToArray();
        var high = Enumerable.Repeat(float.NegativeInfinity, o + a).ToArray();
        foreach (var dataset in list)
        {
            if (dataset.ObservationSize != o || dataset.ActionSize != a) throw new ArgumentException("datasets compared for coverage must share observation and action sizes.");
            for (int row = 0; row < dataset.Count; row++)
            {
                var observation = dataset.Observation(row);
                var action = dataset.Action(row);
                for (int j = 0; j < o + a; j++)
                {
                    float v = j < o ? observation[j] : action[j - o];
                    low[j] = Math.Min(low[j], v);
                    high[j] = Math.Max(high[j], v);
                }
            }
        }
        return new StateActionBins(low, high, discreteActions);
    }

    /// <summary>The bin indices of one pair, written as 16-bit values into <paramref name="key"/> (2 bytes per dimension).</summary>
    public void Key(ReadOnlySpan<float> observation, ReadOnlySpan<float> action, Span<byte> key)
    {
        int o = observation.Length;
        for (int j = 0; j < o + action.Length; j++)
        {
            float v = j < o ? observation[j] : action[j - o];
            int bin = j >= o && discreteActions ? (int)v : Bin(v, low[j], high[j]);
            key[2 * j] = (byte)bin;
            key[2 * j + 1] = (byte)(bin >> 8);
        }
    }

    private static int Bin(float v, float lo, float hi) => hi > lo ? Math.Clamp((int)((v - lo) / (hi - lo) * BinsPerDimension), 0, BinsPerDimension - 1) : 0;
}
