using Rlpt.Decision.Environments;
using Rlpt.Decision.InContext;
using Rlpt.Decision.InContext.Dpt;
using Rlpt.Decision.InContext.Evaluation;
using static TorchSharp.torch;

namespace Rlpt.Tests.Decision.InContext.Evaluation;

public sealed class InContextEvaluationTests
{
    private static InContextTrainingConfig Tiny => new() { MaxSteps = 1, BatchSize = 8, HiddenSize = 16, NumHiddenLayers = 1, NumAttentionHeads = 2, EvalEvery = 0, SaveEvery = 0 };

    [Fact]
    public void DarkRoomEvaluationPlaysEveryHeldOutTaskOfflineAndOnlineAndReports()
    {
        var family = new TaskFamily { Name = "darkroom", Size = 4, Horizon = 8 };
        var data = ContextSampling.Build(family, 16, 16, seed: 1, heldOut: false); // a context holds two episodes
        using var algorithm = new DptAlgorithm(Tiny, data, null, CPU);
        algorithm.Policy.eval();
        var result = DarkRoomEvaluation.Run(algorithm.Policy, new DarkRoomEvaluationOptions { ContextsPerTask = 2, OnlineEpisodes = 3 }, CPU);
        var rooms = family.DarkRooms(heldOut: true);
        Assert.Equal(rooms.Count, result.HeldOutTasks);
        Assert.Equal(2 * rooms.Count, result.OfflineGreedyReturns.Length);
        Assert.Equal(rooms.Select(r => r.OptimalReturn()), result.OnlineOptimalReturns);
        Assert.All(result.OnlineReturns, task => Assert.Equal(3, task.Length));
        Assert.All(result.OfflineSampledReturns.Zip(result.OptimalReturns), p => Assert.InRange(p.First, 0, p.Second));
        Assert.All(result.OnlineReturns.Zip(result.OnlineOptimalReturns), p => Assert.All(p.First, r => Assert.InRange(r, 0, p.Second)));
        var accuracy = result.ActionAccuracy!;
        Assert.Equal(result.ContextReturns.Count(r => r > 0), accuracy.ContextsShowingTheGoal);
        Assert.All(new[] { accuracy.GoalShownElsewhere, accuracy.GoalShownAtGoal, accuracy.GoalNotShown }.Where(double.IsFinite), r => Assert.InRange(r, 0, 1));

        using var dir = new TestDirectory();
        var report = InContextReport.Write(dir.Path, result, "tiny");
        Assert.Contains("61.5", File.ReadAllText(report));
        Assert.True(File.Exists(Path.Combine(dir.Path, "online_returns.png")));
        Assert.True(File.Exists(Path.Combine(dir.Path, InContextReport.JsonFile)));
    }

    [Fact]
    public void BanditEvaluationScoresDptAndTheBaselinesOnTheSameTasks()
    {
        var family = new TaskFamily { Name = "bandit_gaussian", Horizon = 15 };
        var data = ContextSampling.Build(family, 16, 15, seed: 2, heldOut: false);
        using var algorithm = new DptAlgorithm(Tiny, data, null, CPU);
        algorithm.Policy.eval();
        var result = BanditEvaluation.Run(algorithm.Policy, new BanditEvaluationOptions { Tasks = 30 }, CPU);
        Assert.Equal(["dpt", "emp", "ucb", "ts"], result.OnlineRegret.Keys);
        Assert.Equal(["dpt", "emp", "lcb", "ts_mean"], result.OfflineSuboptimality.Keys);
        foreach (var table in result.OnlineRegret.Values)
        {
            Assert.Equal(30, table.Length);
            // Cumulative regret never decreases and each pull adds at most the task's largest gap (< 1 for U[0, 1] means).
            Assert.All(table, curve => Assert.All(curve.Zip(curve.Skip(1)), p => Assert.InRange(p.Second - p.First, 0, 1)));
        }
        Assert.All(result.OfflineSuboptimality.Values, table => Assert.All(table, curve => Assert.Equal(16, curve.Length)));
        using var dir = new TestDirectory();
        InContextReport.Write(dir.Path, result, "tiny");
        Assert.True(File.Exists(Path.Combine(dir.Path, "online_regret.png")));
    }

    [Fact]
    public void AnAdModelOfABanditAlgorithmIsScoredOnlineNextToTheBaselines()
    {
        var family = new TaskFamily { Name = "bandit_linear", Horizon = 12 };
        var histories = Rlpt.Decision.InContext.Ad.HistoryCollection.CollectBandit(family, "linucb", 16, seed: 3);
        using var algorithm = new Rlpt.Decision.InContext.Ad.AdAlgorithm(Tiny with { Method = "ad", SequenceLength = 8 }, histories, null, CPU);
        algorithm.Policy.eval();
        var result = BanditEvaluation.Run(algorithm.Policy, new BanditEvaluationOptions { Tasks = 10 }, CPU);
        Assert.Equal(["ad", "emp", "ucb", "linucb"], result.OnlineRegret.Keys);
        Assert.Empty(result.OfflineSuboptimality);
        Assert.All(result.OnlineRegret.Values, table => Assert.All(table, curve => Assert.Equal(12, curve.Length)));
        using var dir = new TestDirectory();
        Assert.DoesNotContain("offline_suboptimality.png", File.ReadAllText(InContextReport.Write(dir.Path, result, "tiny")));
    }
}
