using Rlpt.Decision.Environments;

namespace Rlpt.Decision.InContext.Dpt;

/// <summary>
/// Builds DPT contexts as the paper and its reference code do. Dark Room: uniform roll-ins, n independent transitions
/// from a uniformly drawn state and action; the query state is uniform and labelled with the optimal action. Bandits:
/// the context's arms follow p = (1 − w)·Dir(1) + w·δ(a random arm) with w ~ U{0, 0.1, …, 1}, so contexts range from
/// spread out to concentrated on one arm; the label is the best arm. Each sample draws from its own seeded stream, so
/// sample i is the same whatever the count.
/// </summary>
public static class ContextSampling
{
    public static TransitionContexts Build(TaskFamily family, int count, int contextLength, int seed, bool heldOut)
    {
        family.Validate();
        if (count < 1 || contextLength < 1) throw new ArgumentException($"count ({count}) and context length ({contextLength}) must be positive.");
        var contexts = new TransitionContexts(family, count, contextLength, heldOut ? "held_out" : "train");
        var rooms = family.IsBandit ? null : family.DarkRooms(heldOut);
        Parallel.For(0, count, i =>
        {
            var random = TaskSampling.Stream(seed, i, heldOut);
            if (rooms is null) FillBandit(contexts, i, family.SampleBandit(random), random);
            else FillDarkRoom(contexts, i, i % rooms.Count, rooms[i % rooms.Count], random);
        });
        return contexts;
    }

    private static void FillDarkRoom(TransitionContexts contexts, int sample, int task, DarkRoom room, Random random)
    {
        int n = contexts.ContextLength;
        for (int j = 0; j < n; j++)
        {
            int x = random.Next(room.Size), y = random.Next(room.Size), action = random.Next(DarkRoom.Actions);
            var (nx, ny) = room.Transit(x, y, action);
            int at = sample * n + j;
            (contexts.Observations[2 * at], contexts.Observations[2 * at + 1]) = (x, y);
            (contexts.NextObservations[2 * at], contexts.NextObservations[2 * at + 1]) = (nx, ny);
            contexts.Actions[at] = action;
            contexts.Rewards[at] = (float)room.RewardAt(nx, ny);
        }
        var query = room.RandomObservation(random);
        (contexts.QueryObservations[2 * sample], contexts.QueryObservations[2 * sample + 1]) = (query[0], query[1]);
        contexts.OptimalActions[sample] = room.OptimalAction(query);
        contexts.Tasks[sample] = task;
    }

    private static void FillBandit(TransitionContexts contexts, int sample, IBandit bandit, Random random)
    {
        int n = contexts.ContextLength;
        var probabilities = ContextArmDistribution(bandit.Arms, random);
        for (int j = 0; j < n; j++)
        {
            int arm = random.NextCategorical(probabilities);
            int at = sample * n + j;
            contexts.Actions[at] = arm;
            contexts.Rewards[at] = (float)bandit.Pull(arm, random);
        }
        contexts.OptimalActions[sample] = bandit.BestArm();
        contexts.Tasks[sample] = sample;
    }

    /// <summary>DPT's context-arm distribution (1 − w)·Dir(1) + w·δ(random arm), w ~ U{0, 0.1, …, 1}.</summary>
    public static double[] ContextArmDistribution(int arms, Random random)
    {
        double w = random.Next(11) / 10.0;
        var probabilities = random.NextUniformSimplex(arms).Select(p => (1 - w) * p).ToArray();
        probabilities[random.Next(arms)] += w;
        return probabilities;
    }
}
