using Rlpt.Rewards;

namespace Rlpt.Tests.Rewards;

public class RewardComposerTests
{
    private sealed class Fixed(string name, double[] scores, int failures = 0) : IRewardFunction
    {
        public string Name => name;

        public Task<RewardScores> ScoreAsync(IReadOnlyList<RewardInput> batch, CancellationToken cancellation) =>
            Task.FromResult(new RewardScores(scores, failures));
    }

    private static readonly RewardInput[] Batch = [Inputs.Make("a", "a"), Inputs.Make("b", "b")];

    [Fact]
    public async Task Total_is_the_weighted_sum_with_per_function_scores_and_failures()
    {
        var composer = new RewardComposer([new(new Fixed("prefix", [1, 0]), 1.0), new(new Fixed("judge", [1, 1], failures: 1), 0.5)]);
        var result = await composer.ScoreAsync(Batch, CancellationToken.None);
        Assert.Equal([1.5, 0.5], result.Total);
        Assert.Equal([1.0, 0.0], result.PerFunction["prefix"]);
        Assert.Equal([1.0, 1.0], result.PerFunction["judge"]);
        Assert.Equal(0, result.Failures["prefix"]);
        Assert.Equal(1, result.Failures["judge"]);
    }

    [Fact]
    public async Task Real_rewards_compose()
    {
        var composer = new RewardComposer([new(new LexicalPrefixReward(), 1.0), new(new NumericReward(), 2.0)]);
        var result = await composer.ScoreAsync([Inputs.Make("The answer is 3/4.", "The answer is 0.75.")], CancellationToken.None);
        Assert.Equal(0.0, result.PerFunction["prefix"][0]);
        Assert.Equal(2.0, result.Total[0]);
    }

    [Fact]
    public void Duplicate_names_are_rejected() =>
        Assert.Throws<ArgumentException>(() => new RewardComposer([new(new Fixed("x", [0, 0]), 1), new(new Fixed("x", [0, 0]), 1)]));

    [Fact]
    public async Task Wrong_score_count_is_reported()
    {
        var composer = new RewardComposer([new(new Fixed("short", [1]), 1)]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => composer.ScoreAsync(Batch, CancellationToken.None));
    }
}
