using Rlpt.Decision.Environments;
using Rlpt.Decision.Models;
using static TorchSharp.torch;

namespace Rlpt.Decision.InContext.Dpt;

/// <summary>Options of a Dark Room in-context evaluation; defaults are DPT's protocol.</summary>
public sealed record DarkRoomEvaluationOptions
{
    /// <summary>Offline contexts per held-out task (DPT: 5, so 100 trajectories over 20 goals).</summary>
    public int ContextsPerTask { get; init; } = 5;
    /// <summary>Online episodes per held-out task, starting from an empty context (DPT: 40).</summary>
    public int OnlineEpisodes { get; init; } = 40;
    public int Seed { get; init; } = 7;
}

/// <summary>
/// DPT's Dark Room evaluation on held-out tasks. Offline: each agent gets a fixed context of uniform random
/// transitions (as in training) and plays one episode, greedy and sampled. Online: each task starts with an empty
/// context; after every episode the context becomes the latest episodes (as many whole ones as fit, the newest
/// replacing the oldest), and actions are sampled. Returns are per task, so figures carry intervals over tasks.
/// </summary>
public static class DarkRoomEvaluation
{
    public static DarkRoomResult Run(TransitionTransformer model, DarkRoomEvaluationOptions options, Device device, Action<int, int>? progress = null)
    {
        var family = model.Config.Environment;
        if (family.IsBandit) throw new ArgumentException($"{family.Name} is a bandit family: use the bandit evaluation.");
        var rooms = family.DarkRooms(heldOut: true);
        int contextLength = model.Config.MaxPositionEmbeddings - 1;
        var contexts = ContextSampling.Build(family, rooms.Count * options.ContextsPerTask, contextLength, options.Seed, heldOut: true);
        var samples = Enumerable.Range(0, contexts.Count).ToArray();
        var offlineRooms = samples.Select(i => rooms[contexts.Tasks[i]].Clone()).ToArray();
        int totalWork = 2 + options.OnlineEpisodes, done = 0;
        var greedy = OfflineReturns(model, contexts, offlineRooms, greedy: true, options.Seed, device);
        progress?.Invoke(++done, totalWork);
        var sampled = OfflineReturns(model, contexts, offlineRooms, greedy: false, options.Seed, device);
        progress?.Invoke(++done, totalWork);
        var online = OnlineReturns(model, rooms, options.OnlineEpisodes, contextLength, options.Seed, device, () => progress?.Invoke(++done, totalWork));
        return new DarkRoomResult
        {
            Environment = family.Name,
            HeldOutTasks = rooms.Count,
            ContextLength = contextLength,
            ContextReturns = samples.Select(contexts.ContextReturn).ToArray(),
            OptimalReturns = offlineRooms.Select(r => r.OptimalReturn()).ToArray(),
            OfflineGreedyReturns = greedy,
            OfflineSampledReturns = sampled,
            OnlineReturns = online,
            OnlineOptimalReturns = rooms.Select(r => r.OptimalReturn()).ToArray(),
            ActionAccuracy = ActionAccuracy(model, contexts, offlineRooms, device),
        };
    }

    /// <summary>
    /// How often the greedy action after each whole offline context is the optimal one, over every state of the room
    /// as the query, split by whether the context shows the goal (a transition rewarded on arrival) and whether the
    /// query is the goal itself (where the optimal action is to stay): it tells a model that finds the goal but does
    /// not stay on it from one that does not find it.
    /// </summary>
    private static DarkRoomActionAccuracy ActionAccuracy(TransitionTransformer model, TransitionContexts contexts, DarkRoom[] rooms, Device device)
    {
        int n = contexts.ContextLength, size = model.Config.InputSize;
        var (seen, atGoal, unseen) = ((0, 0), (0, 0), (0, 0));
        using var guard = no_grad();
        for (int sample = 0; sample < contexts.Count; sample++)
        {
            var room = rooms[sample];
            bool goalShown = Enumerable.Range(0, n).Any(j => contexts.Rewards[sample * n + j] > 0);
            var states = Enumerable.Range(0, room.Size * room.Size).Select(i => new float[] { i / room.Size, i % room.Size }).ToArray();
            using var scope = NewDisposeScope();
            var tokens = DptTokens.Build(contexts, [sample], n, device).expand(states.Length, -1, -1).clone();
            var queries = new float[states.Length * size];
            for (int q = 0; q < states.Length; q++) DptTokens.WriteQuery(queries.AsSpan(q * size, size), states[q]);
            tokens.select(1, 0).copy_(tensor(queries, [states.Length, size], device: device));
            var choices = model.Forward(tokens).select(1, n).argmax(-1).cpu().data<long>().ToArray();
            for (int q = 0; q < states.Length; q++)
            {
                bool hit = choices[q] == room.OptimalAction(states[q]);
                bool isGoal = states[q][0] == room.Goal.X && states[q][1] == room.Goal.Y;
                if (!goalShown) unseen = (unseen.Item1 + (hit ? 1 : 0), unseen.Item2 + 1);
                else if (isGoal) atGoal = (atGoal.Item1 + (hit ? 1 : 0), atGoal.Item2 + 1);
                else seen = (seen.Item1 + (hit ? 1 : 0), seen.Item2 + 1);
            }
        }
        static double Rate((int Hits, int Count) c) => c.Count == 0 ? double.NaN : (double)c.Hits / c.Count;
        return new DarkRoomActionAccuracy(Rate(seen), Rate(atGoal), Rate(unseen), contexts.Count - unseen.Item2 / (rooms[0].Size * rooms[0].Size));
    }

    /// <summary>One episode per context, all played in lockstep (Dark Room episodes all last the horizon).</summary>
    private static double[] OfflineReturns(TransitionTransformer model, TransitionContexts contexts, DarkRoom[] rooms, bool greedy, int seed, Device device)
    {
        var samples = Enumerable.Range(0, contexts.Count).ToArray();
        using var scope = NewDisposeScope();
        var tokens = DptTokens.Build(contexts, samples, contexts.ContextLength, device);
        var randoms = samples.Select(i => new Random(seed * 31 + i)).ToArray();
        return PlayEpisodes(model, rooms, randoms, greedy, tokens, device);
    }

    /// <summary>
    /// Plays one episode in every room with the given context tokens (position 0 is overwritten with each query):
    /// the returns per room.
    /// </summary>
    private static double[] PlayEpisodes(TransitionTransformer model, DarkRoom[] rooms, Random[] randoms, bool greedy, Tensor tokens, Device device, List<(float[] S, int A, float[] Next, float R)>[]? record = null)
    {
        int rows = rooms.Length, size = (int)tokens.shape[2];
        var observations = rooms.Select(r => r.Reset()).ToArray();
        var returns = new double[rows];
        for (int t = 0; t < rooms[0].Horizon; t++)
        {
            var queries = new float[rows * size];
            for (int r = 0; r < rows; r++) DptTokens.WriteQuery(queries.AsSpan(r * size, size), observations[r]);
            using var scope = NewDisposeScope();
            tokens.select(1, 0).copy_(tensor(queries, [rows, size], device: device));
            var probabilities = ActionChoice.Probabilities(model, tokens);
            for (int r = 0; r < rows; r++)
            {
                int action = ActionChoice.Choose(probabilities[r], greedy, randoms[r]);
                var step = rooms[r].Step(action);
                returns[r] += step.Reward;
                record?[r].Add((observations[r], action, step.Observation, (float)step.Reward));
                observations[r] = step.Observation;
            }
        }
        return returns;
    }

    /// <summary>Returns [task][episode] of online in-context play from an empty context.</summary>
    private static double[][] OnlineReturns(TransitionTransformer model, IReadOnlyList<DarkRoom> rooms, int episodes, int contextLength, int seed, Device device, Action onEpisode)
    {
        var roomArray = rooms.ToArray();
        int rows = roomArray.Length, size = model.Config.InputSize, actions = model.Config.ActionCount, horizon = roomArray[0].Horizon;
        var randoms = Enumerable.Range(0, rows).Select(i => new Random(seed * 131 + i)).ToArray();
        var history = Enumerable.Range(0, rows).Select(_ => new List<(float[] S, int A, float[] Next, float R)>()).ToArray();
        var returns = Enumerable.Range(0, rows).Select(_ => new double[episodes]).ToArray();
        // Whole episodes that fit in the context; a context shorter than one episode keeps the latest transitions.
        int keep = horizon <= contextLength ? contextLength / horizon * horizon : contextLength;
        for (int episode = 0; episode < episodes; episode++)
        {
            int length = Math.Min(keep, history[0].Count);
            var data = new float[rows * (length + 1) * size];
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < length; j++)
                {
                    var (s, a, next, reward) = history[r][history[r].Count - length + j];
                    DptTokens.WriteTransition(data.AsSpan((r * (length + 1) + j + 1) * size, size), s, a, next, reward, actions);
                }
            using var scope = NewDisposeScope();
            var tokens = tensor(data, [rows, length + 1, size], device: device);
            var episodeReturns = PlayEpisodes(model, roomArray, randoms, greedy: false, tokens, device, history);
            for (int r = 0; r < rows; r++) returns[r][episode] = episodeReturns[r];
            onEpisode();
        }
        return returns;
    }
}
