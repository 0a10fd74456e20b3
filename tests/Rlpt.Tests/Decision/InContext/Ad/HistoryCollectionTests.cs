using Rlpt.Decision.Environments;
using Rlpt.Decision.InContext.Ad;

namespace Rlpt.Tests.Decision.InContext.Ad;

public sealed class HistoryCollectionTests
{
    private static readonly TaskFamily Room = new() { Name = "darkroom", Size = 5, Horizon = 8, Start = "center" };

    [Fact]
    public void AdEpsilonSourceDecaysFromRandomToOptimalOverNinetyPercentOfTheEpisodes()
    {
        var room = new DarkRoom(5, 8, (0, 4), start: (2, 2));
        var source = new EpsilonDecaySource(episodes: 11);
        Assert.Equal(1.0, source.Epsilon(0));
        Assert.Equal(1 - 4 / 9.0, source.Epsilon(4), 12);
        Assert.Equal(0.0, source.Epsilon(9));
        Assert.Equal(0.0, source.Epsilon(10));
        room.Reset();
        var random = new Random(0);
        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal(room.OptimalAction([2, 2]), source.Act(room, 10, random)));
        // At half speed ε needs twice as many episodes: 1 − 4·0.5/9 at episode 4, and it is still 0.5 at the last one.
        var slow = new EpsilonDecaySource(episodes: 11, speed: 0.5);
        Assert.Equal(1 - 2 / 9.0, slow.Epsilon(4), 12);
        Assert.Equal(1 - 5 / 9.0, slow.Epsilon(10), 12);
    }

    [Fact]
    public void QLearningUpdatesTowardsTheBootstrappedTargetAndImproves()
    {
        var learner = new QLearningSource(states: 9, actions: 5, episodes: 10, alpha: 0.5, gamma: 0.9);
        learner.Observe(0, 0, 1.0, 3);
        Assert.Equal(0.5, learner.Value(0, 0), 12); // 0 + 0.5·(1 + 0.9·0 − 0)
        learner.Observe(4, 2, 0.0, 0);
        Assert.Equal(0.5 * 0.9 * 0.5, learner.Value(4, 2), 12); // bootstraps from max Q(0, ·) = 0.5

        var family = Room with { Horizon = 12 };
        var histories = HistoryCollection.Collect(family, "qlearning", historiesPerTask: 2, episodes: 150, actionNoise: 0, seed: 1);
        var returns = Enumerable.Range(0, histories.Count).Select(histories.EpisodeReturns).ToArray();
        double first = returns.Average(r => r.Take(20).Average()), last = returns.Average(r => r.TakeLast(20).Average());
        Assert.True(last > first + 2, $"Q-learning histories should improve: first 20 episodes {first:F2}, last 20 {last:F2}");
    }

    [Fact]
    public void SlowerLearnersGiveHistoriesOfVariedQuality()
    {
        var family = Room with { TrainTasks = 4 };
        var uniform = HistoryCollection.Collect(family, "epsilon", historiesPerTask: 10, episodes: 20, actionNoise: 0, seed: 5);
        var varied = HistoryCollection.Collect(family, "epsilon", historiesPerTask: 10, episodes: 20, actionNoise: 0, seed: 5, slowestSpeed: 0.1);
        Assert.Equal(40, varied.Count);
        Assert.Contains("speeds0.1", varied.Source);
        double Last(LearningHistories data, int h) => data.EpisodeReturns(h).TakeLast(2).Average();
        var tasks = family.GridTasks(heldOut: false);
        // At speed 1, ε is 0 in the last two episodes: every history ends optimal. Slower learners are still exploring.
        Assert.All(Enumerable.Range(0, uniform.Count), h => Assert.Equal(tasks[uniform.Tasks[h]].OptimalReturn(), Last(uniform, h)));
        int belowOptimal = Enumerable.Range(0, varied.Count).Count(h => Last(varied, h) < tasks[varied.Tasks[h]].OptimalReturn() - 1);
        Assert.True(belowOptimal >= 10, $"{belowOptimal} of 40 varied histories end well below optimal");
        Assert.Throws<ArgumentException>(() => HistoryCollection.Collect(family, "epsilon", 1, 2, 0, 0, slowestSpeed: 0));
    }

    [Fact]
    public void QLearningOnKeyToDoorLearnsBothLegsFromTheFullState()
    {
        // The observation is only (x, y); Q-learning's table is over (x, y, key held), so it can learn to fetch the key first.
        var family = new TaskFamily { Name = "keytodoor", Size = 4, Horizon = 16, Start = "center", TrainTasks = 3 };
        var histories = HistoryCollection.Collect(family, "qlearning", historiesPerTask: 2, episodes: 200, actionNoise: 0, seed: 1);
        var returns = Enumerable.Range(0, histories.Count).Select(histories.EpisodeReturns).ToArray();
        double first = returns.Average(r => r.Take(20).Average()), last = returns.Average(r => r.TakeLast(20).Average());
        Assert.True(last > 1.6 && last > first + 0.6, $"Q-learning on Key-to-Door: first 20 episodes {first:F2}, last 20 {last:F2} (optimal 2)");
    }

    [Fact]
    public void HistoriesAreTrajectoriesOfTheirTasksEpisodeAfterEpisode()
    {
        var histories = HistoryCollection.Collect(Room, "epsilon", historiesPerTask: 2, episodes: 6, actionNoise: 0.3, seed: 2);
        var rooms = Room.DarkRooms(heldOut: false);
        Assert.Equal(2 * rooms.Count, histories.Count);
        Assert.Equal(48, histories.Length);
        for (int h = 0; h < histories.Count; h++)
        {
            var room = rooms[histories.Tasks[h]].Clone();
            for (int e = 0; e < 6; e++)
            {
                var observation = room.Reset();
                for (int t = 0; t < 8; t++)
                {
                    int at = h * 48 + e * 8 + t;
                    Assert.Equal(observation, histories.Observations.AsSpan(2 * at, 2).ToArray());
                    var step = room.Step(histories.Actions[at]);
                    Assert.Equal(step.Reward, histories.Rewards[at]);
                    observation = step.Observation;
                }
            }
        }
        Assert.Equal(histories.Actions, HistoryCollection.Collect(Room, "epsilon", 2, 6, 0.3, seed: 2).Actions);
        Assert.Contains("noise0.3", histories.Source);
    }

    [Fact]
    public void HistoriesRoundTripAndSelectCopiesWholeHistories()
    {
        using var dir = new TestDirectory();
        var histories = HistoryCollection.Collect(Room, "epsilon", 1, 3, 0, seed: 3);
        var path = Path.Combine(dir.Path, LearningHistories.TrainFile);
        histories.Save(path);
        var loaded = LearningHistories.Load(path);
        Assert.Equal(Room, loaded.Family);
        Assert.Equal(3, loaded.Episodes);
        Assert.Equal(histories.Observations, loaded.Observations);
        Assert.Equal(histories.Actions, loaded.Actions);
        Assert.Equal(histories.Rewards, loaded.Rewards);
        Assert.Equal(histories.Tasks, loaded.Tasks);
        // A file whose arrays do not match its metadata (here: one step short per history) is refused, not read half.
        var truncated = Path.Combine(dir.Path, "truncated.safetensors");
        Rlpt.Decision.InContext.TaskDataFile.Save(truncated, Room, new Dictionary<string, string> { ["episodes"] = "3", ["source"] = "x" },
            ("observations", new float[histories.Count * 23 * 2], [histories.Count, 23, 2]), ("actions", new int[histories.Count * 23], [histories.Count, 23]),
            ("rewards", new float[histories.Count * 23], [histories.Count, 23]), ("tasks", new int[histories.Count], [histories.Count]));
        Assert.Contains("expected [", Assert.Throws<InvalidDataException>(() => LearningHistories.Load(truncated)).Message);
        var picked = histories.Select([2, 2, 0]);
        Assert.Equal(histories.EpisodeReturns(2), picked.EpisodeReturns(1));
        Assert.Equal([histories.Tasks[2], histories.Tasks[2], histories.Tasks[0]], picked.Tasks);
    }

    [Fact]
    public void TokensCarryThePreviousActionAndRewardAndTargetTheCurrentAction()
    {
        var histories = HistoryCollection.Collect(Room, "epsilon", 1, 2, 0, seed: 4);
        var (tokens, targets) = AdTokens.Build(histories, [(0, 0), (1, 5)], 4, TorchSharp.torch.CPU);
        using var _ = tokens;
        using var __ = targets;
        Assert.Equal([2L, 4, 8], tokens.shape); // 2 + 5 + 1
        var values = tokens.data<float>().ToArray();
        Assert.All(values[2..8], v => Assert.Equal(0f, v)); // a history's first step has no previous action or reward
        int t = histories.Length + 5; // history 1, step 5 → second row's first token
        var token = values[32..40];
        Assert.Equal(histories.Observations[2 * t], token[0]);
        Assert.Equal(1f, token[2 + histories.Actions[t - 1]]);
        Assert.Equal(histories.Rewards[t - 1], token[7]);
        Assert.Equal(histories.Actions[t], targets[1, 0].item<long>());
    }
}

public sealed class BanditHistoryCollectionTests
{
    [Fact]
    public void BanditHistoriesAreTheSourceAlgorithmsOwnRuns()
    {
        var family = new TaskFamily { Name = "bandit_gaussian", Horizon = 30 };
        var histories = HistoryCollection.CollectBandit(family, "ucb", count: 5, seed: 1);
        Assert.Equal(1, histories.Episodes);
        Assert.Equal(30, histories.Length);
        var ucb = new Rlpt.Decision.Bandits.ConfidenceBound(optimistic: true);
        for (int h = 0; h < 5; h++)
        {
            // UCB is deterministic given its history: replaying the recorded pulls reproduces every choice.
            var history = new Rlpt.Decision.Bandits.BanditHistory(5);
            for (int t = 0; t < 30; t++)
            {
                Assert.Equal(ucb.Choose(history, new Random(0)), histories.Actions[h * 30 + t]);
                history.Add(histories.Actions[h * 30 + t], histories.Rewards[h * 30 + t]);
            }
        }
        Assert.All(histories.Observations, o => Assert.Equal(0f, o));
        Assert.Contains("unknown bandit source 'linucb'", Assert.Throws<ArgumentException>(() => HistoryCollection.CollectBandit(family, "linucb", 1, 0)).Message);
        Assert.Throws<ArgumentException>(() => Rlpt.Decision.InContext.Lhf.HistoryFiltering.Filter(histories, 1, 0));
    }
}
