using Rlpt.Decision.Environments;

namespace Rlpt.Tests.Decision.Environments;

public sealed class DarkRoomTests
{
    [Fact]
    public void MovesAreClippedAtTheWallsAndOnlyStepsEndingOnTheGoalAreRewarded()
    {
        var room = new DarkRoom(size: 3, horizon: 5, goal: (1, 0));
        Assert.Equal([0f, 0f], room.Reset());
        var left = room.Step(1); // −x at the wall: stays at (0, 0)
        Assert.Equal([0f, 0f], left.Observation);
        Assert.Equal(0, left.Reward);
        var right = room.Step(0); // +x onto the goal
        Assert.Equal([1f, 0f], right.Observation);
        Assert.Equal(1, right.Reward);
        var stay = room.Step(4);
        Assert.Equal(1, stay.Reward);
        var up = room.Step(2);
        Assert.Equal([1f, 1f], up.Observation);
        Assert.Equal(0, up.Reward);
        Assert.False(up.Done);
        var last = room.Step(3);
        Assert.Equal(1, last.Reward);
        Assert.True(last.Truncated);
        Assert.False(last.Terminated);
        Assert.Throws<InvalidOperationException>(() => room.Step(0));
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(9, 9)]
    [InlineData(0, 5)]
    [InlineData(0, 0)]
    public void TheOptimalReturnFromTheCornerIs101MinusTheDistanceWhenTheHorizonIs100(int gx, int gy)
    {
        var room = new DarkRoom(10, 100, (gx, gy));
        // Reaching the goal takes gx + gy steps, the last of which is rewarded, then every remaining step is; a goal
        // at the start is rewarded on all 100 steps.
        double expected = gx + gy == 0 ? 100 : 101 - (gx + gy);
        Assert.Equal(expected, room.OptimalReturn());
    }

    [Fact]
    public void APermutedRoomMapsButtonsToMovesAndItsOptimalActionsFollowTheMapping()
    {
        int[] permutation = [4, 3, 2, 1, 0]; // button 0 stays, button 4 moves +x
        var room = new DarkRoom(10, 100, (9, 9), permutation);
        room.Reset();
        Assert.Equal([0f, 0f], room.Step(0).Observation);
        Assert.Equal([1f, 0f], room.Step(4).Observation);
        Assert.Equal(4, room.OptimalAction([0, 0]));
        Assert.Equal(83, room.OptimalReturn()); // DPT's permuted optimum: 101 − 18
        Assert.Throws<ArgumentException>(() => new DarkRoom(10, 100, (9, 9), [0, 0, 1, 2, 3]));
    }

    [Fact]
    public void GoalAndPermutationSplitsAreDisjointCompleteAndSeeded()
    {
        var (train, heldOut) = DarkRoom.SplitGoals(10, 0.8, seed: 0);
        Assert.Equal(80, train.Length);
        Assert.Equal(20, heldOut.Length);
        Assert.Empty(train.Intersect(heldOut));
        Assert.Equal(100, train.Union(heldOut).Distinct().Count());
        Assert.Equal(train, DarkRoom.SplitGoals(10, 0.8, seed: 0).Train);
        Assert.NotEqual(train, DarkRoom.SplitGoals(10, 0.8, seed: 1).Train);

        var (orders, heldOrders) = DarkRoom.SplitPermutations(seed: 0, train: 100);
        Assert.Equal(100, orders.Length);
        Assert.Equal(20, heldOrders.Length);
        Assert.Equal(120, orders.Concat(heldOrders).Select(p => string.Join(",", p)).Distinct().Count());
    }

    [Fact]
    public void AFamilyBuildsItsSplitsRooms()
    {
        var family = new TaskFamily { Name = "darkroom_permuted" };
        var rooms = family.DarkRooms(heldOut: true);
        Assert.Equal(24, rooms.Count); // 120 orders × (1 − 0.8)
        Assert.All(rooms, r => Assert.Equal((9, 9), r.Goal));
        Assert.Throws<ArgumentException>(() => new TaskFamily { Name = "maze" }.Validate());
    }
}
