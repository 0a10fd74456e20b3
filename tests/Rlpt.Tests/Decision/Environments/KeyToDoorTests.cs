using Rlpt.Decision.Environments;

namespace Rlpt.Tests.Decision.Environments;

public sealed class KeyToDoorTests
{
    [Fact]
    public void TheKeyPaysOnceAndTheDoorPaysOnceButOnlyWithTheKey()
    {
        var task = new KeyToDoor(size: 3, horizon: 10, key: (2, 0), door: (0, 1), start: (0, 0));
        Assert.Equal([0f, 0f], task.Reset());
        // +y onto the door without the key: nothing; back (−y), +x twice onto the key: 1; stay: the key is gone;
        // −x twice, +y onto the door with the key: 1; off (−y) and on again (+y): the door is open, nothing more.
        double[] rewards = [.. new[] { 2, 3, 0, 0, 4, 1, 1, 2, 3, 2 }.Select(a => task.Step(a).Reward)];
        Assert.Equal([0, 0, 0, 1, 0, 0, 0, 1, 0, 0], rewards);
        Assert.Throws<InvalidOperationException>(() => task.Step(0));
        Assert.Equal([0f, 0f], task.Reset()); // a new episode hides the key again
        Assert.False(task.HasKey);
        Assert.Equal(0, task.Step(0).Reward);
        Assert.Equal(1, task.Step(0).Reward);
        Assert.True(task.HasKey);
    }

    [Fact]
    public void StatesCountPositionsTimesKeyPhasesAndTheOptimalActionFollowsThePhase()
    {
        var task = new KeyToDoor(3, 10, key: (2, 2), door: (0, 2), start: (1, 1));
        Assert.Equal(27, task.StateCount);
        task.Reset();
        Assert.Equal(4, task.State); // phase 0, (1, 1)
        Assert.Equal(0, task.OptimalAction()); // +x towards the key
        task.Step(0);
        Assert.Equal(2, task.OptimalAction());
        task.Step(2); // onto the key
        Assert.Equal(9 + 2 * 3 + 2, task.State); // phase 1, (2, 2)
        Assert.Equal(1, task.OptimalAction()); // −x towards the door
        Assert.Equal(2, task.Rollout(_ => task.OptimalAction()));
        Assert.Throws<ArgumentException>(() => new KeyToDoor(3, 10, (1, 1), (1, 1), (0, 0)));
        Assert.Throws<ArgumentException>(() => new KeyToDoor(3, 10, (1, 1), (3, 1), (0, 0)));
    }

    [Fact]
    public void OptimalReturnsAreComputedByActingAndDependOnTheHorizon()
    {
        var family = new TaskFamily { Name = "keytodoor", Size = 9, Horizon = 50, Start = "center" };
        // From the centre, key then door take at most 8 + 16 steps: both fit in 50 for every task.
        Assert.All(family.GridTasks(heldOut: true), task => Assert.Equal(2, task.OptimalReturn()));
        // With 20 steps, the key in one corner and the door in the opposite one leave the door out of reach.
        Assert.Equal(1, new KeyToDoor(9, 20, key: (0, 0), door: (8, 8), start: (4, 4)).OptimalReturn());
        Assert.Equal(2, new KeyToDoor(9, 20, key: (3, 4), door: (8, 8), start: (4, 4)).OptimalReturn()); // 1 + 9 steps
    }

    [Fact]
    public void TasksAreEveryPairOfDistinctCellsSplitBySeedAndCutByTrainTasks()
    {
        var (train, heldOut) = KeyToDoor.SplitTasks(9, 0.8, seed: 0);
        Assert.Equal(5184, train.Length); // 81 · 80 = 6,480 tasks, AD's "6.5k"
        Assert.Equal(1296, heldOut.Length);
        Assert.Empty(train.Intersect(heldOut));
        Assert.All(train, t => Assert.NotEqual(t.Key, t.Door));
        Assert.Equal(6480, train.Concat(heldOut).Distinct().Count());
        Assert.Equal(train, KeyToDoor.SplitTasks(9, 0.8, seed: 0).Train);
        var family = new TaskFamily { Name = "keytodoor", Size = 9, Horizon = 50, TrainTasks = 100 };
        family.Validate();
        Assert.Equal(100, family.GridTasks(heldOut: false).Count);
        Assert.Equal(1296, family.GridTasks(heldOut: true).Count);
        Assert.Equal(((KeyToDoor)family.GridTasks(false)[7]).Key, train[7].Key);
        Assert.Contains("--method ad", Assert.Throws<ArgumentException>(() => family.DarkRooms(heldOut: false)).Message);
        Assert.Throws<ArgumentException>(() => (family with { TrainTasks = 0 }).Validate());
    }
}
