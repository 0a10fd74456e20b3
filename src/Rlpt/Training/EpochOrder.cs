namespace Rlpt.Training;

/// <summary>
/// The order of one epoch over a dataset: a seeded shuffle that is a pure function of (seed, epoch), so a step number
/// is a trainer's whole data position and a resumed run sees exactly the batches an uninterrupted one would.
/// </summary>
public static class EpochOrder
{
    public static int[] Of(int count, int seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(unchecked(seed * 1_000_003 + epoch) & int.MaxValue).Shuffle(order);
        return order;
    }

    /// <summary>The examples of step <paramref name="step"/> when every epoch is split into batches of <paramref name="batchSize"/>.</summary>
    public static IEnumerable<int> Batch(int count, int batchSize, int seed, int step)
    {
        int stepsPerEpoch = (count + batchSize - 1) / batchSize;
        return Of(count, seed, step / stepsPerEpoch).Skip(step % stepsPerEpoch * batchSize).Take(batchSize);
    }
}
