using Rlpt.Rewards;

namespace Rlpt.Tests.Rewards;

public class NumericRewardTests
{
    private static async Task<RewardScores> Score(NumericReward reward, params RewardInput[] batch) =>
        await reward.ScoreAsync(batch, CancellationToken.None);

    [Fact]
    public async Task Equivalent_values_score_1_and_others_0()
    {
        var result = await Score(new NumericReward(),
            Inputs.Make("So the result is 5.75.", "The value of 23 / 4 is 23/4."),
            Inputs.Make("The value is 5.7", "The value of 23 / 4 is 23/4."),
            Inputs.Make("I cannot tell", "The value of 23 / 4 is 23/4."),
            Inputs.Make(null, "It is 3."));
        Assert.Equal([1.0, 0.0, 0.0, 0.0], result.Scores);
        Assert.Equal(0, result.Failures);
    }

    [Fact]
    public async Task Metadata_answer_takes_precedence_over_the_reference()
    {
        var metadata = new Dictionary<string, string> { ["answer"] = "-23/4" };
        var result = await Score(new NumericReward(), Inputs.Make("It equals -5.75.", "text without a number", metadata: metadata));
        Assert.Equal([1.0], result.Scores);
    }

    [Fact]
    public async Task Unreadable_answer_scores_0_and_counts_a_failure()
    {
        var metadata = new Dictionary<string, string> { ["answer"] = "not a number" };
        var result = await Score(new NumericReward(), Inputs.Make("It is 4.", "It is 4.", metadata: metadata));
        Assert.Equal([0.0], result.Scores);
        Assert.Equal(1, result.Failures);
    }

    [Fact]
    public async Task Prose_reference_is_outside_the_domain_and_not_a_failure()
    {
        var result = await Score(new NumericReward(), Inputs.Make("It is 4.", "no value stated here"));
        Assert.Equal([0.0], result.Scores);
        Assert.Equal(0, result.Failures);
    }

    [Fact]
    public async Task Continuous_option_grades_near_misses()
    {
        var result = await Score(new NumericReward(continuous: true), Inputs.Make("It is 5.5.", "It is 23/4."), Inputs.Make("It is 5.75.", "It is 23/4."));
        Assert.InRange(result.Scores[0], 0.5, 0.99);
        Assert.Equal(1, result.Scores[1], 9);
    }
}
