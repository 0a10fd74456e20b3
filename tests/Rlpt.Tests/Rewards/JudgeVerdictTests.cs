using Rlpt.Rewards;

namespace Rlpt.Tests.Rewards;

public class JudgeVerdictTests
{
    [Theory]
    [InlineData("Score: 1", 1)]
    [InlineData("  score:0 \n", 0)]
    [InlineData("**Score: 1**", 1)]
    [InlineData("**Score:** 0", 0)]
    [InlineData("The prediction matches the opening.\nSCORE: 1.", 1)]
    public void Reads_exactly_one_verdict(string reply, int expected) => Assert.Equal(expected, JudgeVerdict.Parse(reply));

    [Theory]
    [InlineData("")]
    [InlineData("Yes, it matches.")]
    [InlineData("Score: 2")]
    [InlineData("Score: 10")]
    [InlineData("Score: 1.5")]
    [InlineData("Score: 0 ... actually Score: 1")]
    [InlineData("Score: 1\nScore: 1")]
    [InlineData("Score: one")]
    public void Anything_else_is_garbled(string reply) => Assert.Null(JudgeVerdict.Parse(reply));
}
