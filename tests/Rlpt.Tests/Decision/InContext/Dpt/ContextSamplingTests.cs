using Rlpt.Decision.Environments;
using Rlpt.Decision.InContext;
using Rlpt.Decision.InContext.Dpt;

namespace Rlpt.Tests.Decision.InContext.Dpt;

public sealed class ContextSamplingTests
{
    private static readonly TaskFamily Room = new() { Name = "darkroom", Size = 5, Horizon = 12 };

    [Fact]
    public void DarkRoomContextsAreTransitionsOfTheirTaskAndQueriesAreLabelledOptimally()
    {
        var contexts = ContextSampling.Build(Room, count: 40, contextLength: 12, seed: 3, heldOut: false);
        var rooms = Room.DarkRooms(heldOut: false);
        for (int i = 0; i < contexts.Count; i++)
        {
            var room = rooms[contexts.Tasks[i]];
            Assert.Equal(i % rooms.Count, contexts.Tasks[i]);
            for (int j = 0; j < contexts.ContextLength; j++)
            {
                int at = i * 12 + j;
                var (nx, ny) = room.Transit((int)contexts.Observations[2 * at], (int)contexts.Observations[2 * at + 1], contexts.Actions[at]);
                Assert.Equal(nx, contexts.NextObservations[2 * at]);
                Assert.Equal(ny, contexts.NextObservations[2 * at + 1]);
                Assert.Equal(room.RewardAt(nx, ny), contexts.Rewards[at]);
            }
            Assert.Equal(room.OptimalAction(contexts.QueryObservations.AsSpan(2 * i, 2).ToArray()), contexts.OptimalActions[i]);
        }
    }

    [Fact]
    public void TrainAndHeldOutContextsComeFromDisjointGoalsAndASampleDoesNotDependOnTheCount()
    {
        var train = ContextSampling.Build(Room, 30, 12, seed: 1, heldOut: false);
        var heldOut = ContextSampling.Build(Room, 30, 12, seed: 1, heldOut: true);
        var trainGoals = Room.DarkRooms(false).Select(r => r.Goal).ToHashSet();
        Assert.All(Room.DarkRooms(true), r => Assert.DoesNotContain(r.Goal, trainGoals));
        var fewer = ContextSampling.Build(Room, 10, 12, seed: 1, heldOut: false);
        Assert.Equal(fewer.Actions, train.Actions[..(10 * 12)]);
        Assert.NotEqual(train.Actions[..(10 * 12)], heldOut.Actions[..(10 * 12)]);
    }

    [Fact]
    public void BanditContextsFollowDptsMixtureAndAreLabelledWithTheBestArm()
    {
        var family = new TaskFamily { Name = "bandit_gaussian", Horizon = 50 };
        var contexts = ContextSampling.Build(family, 20, 50, seed: 2, heldOut: false);
        for (int i = 0; i < 20; i++)
            Assert.Equal(TaskSampling.Bandit(family, 2, i, heldOut: false).BestArm(), contexts.OptimalActions[i]);
        Assert.All(contexts.Observations, o => Assert.Equal(0f, o));
        var random = new Random(0);
        for (int k = 0; k < 50; k++)
        {
            var p = ContextSampling.ContextArmDistribution(5, random);
            Assert.Equal(1.0, p.Sum(), 12);
            Assert.All(p, x => Assert.InRange(x, 0, 1));
        }
    }

    [Fact]
    public void ContextsRoundTripThroughSafetensorsWithTheirFamily()
    {
        using var dir = new TestDirectory();
        var contexts = ContextSampling.Build(Room, 8, 12, seed: 4, heldOut: true);
        var path = Path.Combine(dir.Path, TransitionContexts.HeldOutFile);
        contexts.Save(path);
        var loaded = TransitionContexts.Load(path);
        Assert.Equal(Room, loaded.Family);
        Assert.Equal("held_out", loaded.Split);
        Assert.Equal(contexts.Observations, loaded.Observations);
        Assert.Equal(contexts.Actions, loaded.Actions);
        Assert.Equal(contexts.NextObservations, loaded.NextObservations);
        Assert.Equal(contexts.Rewards, loaded.Rewards);
        Assert.Equal(contexts.QueryObservations, loaded.QueryObservations);
        Assert.Equal(contexts.OptimalActions, loaded.OptimalActions);
        Assert.Equal(contexts.Tasks, loaded.Tasks);
        File.WriteAllText(Path.Combine(dir.Path, "bad.safetensors"), "not a file");
        Assert.ThrowsAny<Exception>(() => TransitionContexts.Load(Path.Combine(dir.Path, "bad.safetensors")));
        Assert.Throws<FileNotFoundException>(() => TransitionContexts.Load(Path.Combine(dir.Path, "missing.safetensors")));
    }

    [Fact]
    public void TokensPutTheQueryFirstAndOneHotActionsInTransitions()
    {
        var contexts = ContextSampling.Build(Room, 2, 12, seed: 5, heldOut: false);
        using var tokens = DptTokens.Build(contexts, [1], 3, TorchSharp.torch.CPU);
        Assert.Equal([1L, 4, 10], tokens.shape); // 2·2 + 5 + 1 features
        var values = tokens.data<float>().ToArray();
        Assert.Equal(contexts.QueryObservations[2], values[0]);
        Assert.Equal(contexts.QueryObservations[3], values[1]);
        Assert.All(values[2..10], v => Assert.Equal(0f, v));
        int at = 12 + 1; // sample 1, transition 1 → token 2
        var token = values[20..30];
        Assert.Equal(contexts.Observations[2 * at], token[0]);
        Assert.Equal(1f, token[2 + contexts.Actions[at]]);
        Assert.Equal(1f, token[2..7].Sum());
        Assert.Equal(contexts.NextObservations[2 * at + 1], token[8]);
        Assert.Equal(contexts.Rewards[at], token[9]);
    }
}
