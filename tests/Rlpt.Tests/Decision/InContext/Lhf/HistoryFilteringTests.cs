using Rlpt.Decision.Environments;
using Rlpt.Decision.InContext.Ad;
using Rlpt.Decision.InContext.Lhf;

namespace Rlpt.Tests.Decision.InContext.Lhf;

public sealed class HistoryFilteringTests
{
    [Fact]
    public void ScoresMatchAHandComputation()
    {
        double[] returns = [0, 2, 1, 4];
        // Improvement: (mean 1.75 + range 4) / (2 · 4); stability: 1 + mean(0, −1, 0) / 4.
        Assert.Equal(5.75 / 8, HistoryFiltering.Improvement(returns, 4), 12);
        Assert.Equal(1 - 1.0 / 12, HistoryFiltering.Stability(returns, 4), 12);
        Assert.Equal(5.75 / 8 + 0.5 * (1 - 1.0 / 12), HistoryFiltering.Score(returns, 4, lambda: 0.5), 12);
        Assert.Equal([0.0, 0.5, 1.0], HistoryFiltering.KeepProbabilities([1, 2, 3]));
        Assert.Equal([1.0, 1.0], HistoryFiltering.KeepProbabilities([2, 2]));
    }

    [Fact]
    public void FilteringKeepsEachTasksCountAndFavoursImprovingHistories()
    {
        var family = new TaskFamily { Name = "darkroom", Size = 3, Horizon = 4, Start = "center" };
        var learned = HistoryCollection.Collect(family, "epsilon", historiesPerTask: 3, episodes: 10, actionNoise: 0, seed: 1);
        var random = HistoryCollection.Collect(family, "epsilon", historiesPerTask: 3, episodes: 10, actionNoise: 1, seed: 1);
        int tasks = family.DarkRooms(false).Count;
        // Per task: three improving histories and three of uniform random actions.
        var mixed = Concatenate(learned, random);
        var filtered = HistoryFiltering.Filter(mixed, lambda: 1, seed: 2);
        Assert.Equal(mixed.Count, filtered.Count);
        Assert.All(Enumerable.Range(0, tasks), task => Assert.Equal(6, filtered.Tasks.Count(t => t == task)));
        double Mean(LearningHistories d) => Enumerable.Range(0, d.Count).Average(h => d.EpisodeReturns(h).Average());
        Assert.True(Mean(filtered) > Mean(mixed), $"filtered mean return {Mean(filtered):F2} should exceed the mixture's {Mean(mixed):F2}");
    }

    private static LearningHistories Concatenate(LearningHistories a, LearningHistories b)
    {
        var result = new LearningHistories(a.Family, a.Count + b.Count, a.Episodes, "mixed");
        a.Observations.CopyTo(result.Observations, 0);
        b.Observations.CopyTo(result.Observations, a.Observations.Length);
        a.Actions.CopyTo(result.Actions, 0);
        b.Actions.CopyTo(result.Actions, a.Actions.Length);
        a.Rewards.CopyTo(result.Rewards, 0);
        b.Rewards.CopyTo(result.Rewards, a.Rewards.Length);
        a.Tasks.CopyTo(result.Tasks, 0);
        b.Tasks.CopyTo(result.Tasks, a.Tasks.Length);
        return result;
    }
}
