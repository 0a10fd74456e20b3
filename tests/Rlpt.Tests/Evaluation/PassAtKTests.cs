using Rlpt.Evaluation;

namespace Rlpt.Tests.Evaluation;

public sealed class PassAtKTests
{
    [Theory]
    [InlineData(5, 2, 1, 0.4)]
    [InlineData(5, 2, 2, 0.7)] // 1 − C(3,2)/C(5,2) = 1 − 3/10
    [InlineData(5, 0, 3, 0.0)]
    [InlineData(5, 5, 1, 1.0)]
    [InlineData(5, 3, 3, 1.0)] // fewer than k wrong samples: every draw of 3 includes a correct one
    [InlineData(10, 1, 5, 0.5)] // 1 − C(9,5)/C(10,5) = 1 − 126/252
    public void MatchesHandComputedValues(int n, int c, int k, double expected) =>
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), 12);

    [Fact]
    public void StaysFiniteForLargeN() =>
        Assert.Equal(1 - Math.Pow(0.5, 1), PassAtK.Estimate(1000, 500, 1), 12);

    [Fact]
    public void RejectsInvalidArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(5, 6, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(5, 2, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(5, 2, 0));
    }
}
