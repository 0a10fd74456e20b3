using Rlpt.Data.Corpora.Arithmetic;

namespace Rlpt.Tests.Data.Corpora.Arithmetic;

public sealed class WorkedSolutionTests
{
    [Theory]
    [InlineData("(3/4 + 5) * 2^3", "3/4 + 5 = 23/4|2^3 = 8|23/4 * 8 = 46", "46")]
    [InlineData("5 - 1 + 2", "5 - 1 = 4|4 + 2 = 6", "6")]
    [InlineData("(3/4)^2 / 6/3", "(3/4)^2 = 9/16|9/16 / (6/3) = 9/32", "9/32")]
    [InlineData("2^(-1) - 1", "2^(-1) = 1/2|1/2 - 1 = -1/2", "-1/2")]
    [InlineData("-(2 + 3) * 4", "2 + 3 = 5|(-5) * 4 = -20", "-20")]
    [InlineData("7", "", "7")]
    [InlineData("3 / (1/2 - 1/4)", "1/2 - 1/4 = 1/4|3 / (1/4) = 12", "12")]
    public void Works_innermost_first_one_operation_per_step(string expression, string expectedSteps, string answer)
    {
        var steps = WorkedSolution.Steps(ExpressionParser.Parse(expression), out var value);
        Assert.Equal(Rational.Parse(answer), value);
        Assert.Equal(expectedSteps, string.Join("|", steps.Select(s => $"{s.Computation} = {s.Value}")));
        foreach (var step in steps) Assert.Equal(step.Value, ExpressionParser.Evaluate(step.Computation));
    }

    [Fact]
    public void Division_by_zero_surfaces() =>
        Assert.Throws<DivideByZeroException>(() => WorkedSolution.Steps(ExpressionParser.Parse("1 / (2 - 2)"), out _));
}
