using Rlpt.Data.Corpora.Arithmetic;

namespace Rlpt.Tests.Data.Corpora.Arithmetic;

public sealed class NumericAnswerTests
{
    [Theory]
    [InlineData("So the value of (3/4 + 5) * 2^3 is 46.", "46")]
    [InlineData("Then, 23/4 * 8 = -23/4.", "-23/4")]
    [InlineData("The answer is 1,000!", "1000")]
    [InlineData("The answer is 1,234,567.", "1234567")]
    [InlineData("It is -1.5.", "-3/2")]
    [InlineData("It is −7", "-7")]
    [InlineData("value: (-3/4)", "-3/4")]
    [InlineData("5-3", "3")]
    [InlineData("x-3", "3")]
    [InlineData("5 - 3", "3")]
    [InlineData("It is 6/4.", "3/2")]
    [InlineData("46", "46")]
    [InlineData("We got 12, then 7.\n", "7")]
    [InlineData("So the value is 0.", "0")]
    [InlineData("is 2.50,", "5/2")]
    [InlineData("He said \"it is 3/8\".", "3/8")]
    public void Reads_the_last_stated_number(string text, string expected)
    {
        Assert.True(NumericAnswer.TryParseStatedValue(text, out var value), text);
        Assert.Equal(Rational.Parse(expected), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no number here.")]
    [InlineData("So the value of 2 + 2 is")]
    [InlineData("So the value is 23/")]
    [InlineData("So the value is 1/2/3.")]
    [InlineData("So the value is 4/0.")]
    [InlineData("So the value is 1,00.")]
    [InlineData("So the value is 1.5/2.")]
    [InlineData("So the value is 2^3.")]
    [InlineData("So the value is 12x.")]
    [InlineData("So the value is 1.5e3.")]
    [InlineData("It is 1..5")]
    [InlineData("The total is 23/4 *")]
    [InlineData("It is 46 apples.")]
    public void Rejects_missing_truncated_or_malformed_values(string text) =>
        Assert.False(NumericAnswer.TryParseStatedValue(text, out _), text);

    [Fact]
    public void Equivalence_is_exact()
    {
        Assert.True(NumericAnswer.Equivalent(Rational.Parse("2/4"), Rational.Parse("0.5")));
        Assert.False(NumericAnswer.Equivalent(Rational.Parse("1/3"), Rational.Parse("0.333333333")));
    }

    [Theory]
    [InlineData(46, 46, 1)]
    [InlineData(-2.5, -2.5, 1)]
    [InlineData(1.5, 1, 0.5)] // 1 - 0.5*0.5 - 0.5*0.5
    [InlineData(0, 1, 0)] // both terms saturate (the relative one to within 1e-6)
    [InlineData(10.5, 10, 0.725)] // 1 - 0.25 - 0.5*0.5/10.000001
    [InlineData(100, 10, 0)]
    [InlineData(0.1, 0, 0.45)] // 1 - 0.05 - 0.5 (relative error against 1e-6 saturates)
    [InlineData(double.NaN, 1, 0)]
    [InlineData(double.PositiveInfinity, 1, 0)]
    public void Continuous_reward_matches_hand_computed_values(double predicted, double truth, double expected) =>
        Assert.InRange(NumericAnswer.ContinuousReward(predicted, truth), expected - 1e-6, expected + 1e-6);
}
