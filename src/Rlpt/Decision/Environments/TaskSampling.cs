namespace Rlpt.Decision.Environments;

/// <summary>
/// Seeded streams, one per sample (a context, a history, a test task): sample i draws the same whatever the count,
/// and held-out samples use a disjoint stream of the same seed.
/// </summary>
public static class TaskSampling
{
    public static Random Stream(int seed, int sample, bool heldOut) =>
        new(unchecked(seed * 7_919 + sample * 104_729 + (heldOut ? 1_000_000_007 : 0)) & int.MaxValue);

    /// <summary>A grid family's tasks in a fixed shuffled order (the seed), the first <paramref name="train"/> for training, the rest held out.</summary>
    public static (T[] Train, T[] HeldOut) Split<T>(T[] tasks, int train, int seed)
    {
        new Random(seed).Shuffle(tasks);
        return (tasks[..train], tasks[train..]);
    }

    /// <summary>The bandit task of sample i: the first draw of its stream (contexts and histories make it the same way).</summary>
    public static IBandit Bandit(TaskFamily family, int seed, int sample, bool heldOut) => family.SampleBandit(Stream(seed, sample, heldOut));
}
