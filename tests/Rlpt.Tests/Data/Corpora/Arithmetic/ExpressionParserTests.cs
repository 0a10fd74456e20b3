using Rlpt.Data.Corpora.Arithmetic;

namespace Rlpt.Tests.Data.Corpora.Arithmetic;

public sealed class ExpressionParserTests
{
    [Theory]
    [InlineData("2-3-4", "-5")]
    [InlineData("2 - 3 - 4", "-5")]
    [InlineData("2/3/4", "1/6")]
    [InlineData("2 / 3 / 4", "1/6")]
    [InlineData("2^3^2", "512")]
    [InlineData("-2^2", "-4")]
    [InlineData("(-2)^2", "4")]
    [InlineData("2^-1", "1/2")]
    [InlineData("2 + 3 * 4", "14")]
    [InlineData("(2 + 3) * 4", "20")]
    [InlineData("10 - 2 * 3 + 1", "5")]
    [InlineData("3/4 + 5", "23/4")]
    [InlineData("(3/4 + 5) * 2^3", "46")]
    [InlineData("5 / 3/4", "20/3")]
    [InlineData("6/3 * 2", "4")]
    [InlineData("0.5 + 1/4", "3/4")]
    [InlineData("5 - -3", "8")]
    [InlineData("8 ÷ 2 × 3 − 1", "11")]
    [InlineData("  ( ( 7 ) )  ", "7")]
    public void Evaluates_with_precedence_and_associativity(string text, string expected) =>
        Assert.Equal(Rational.Parse(expected), ExpressionParser.Evaluate(text));

    [Theory]
    [InlineData("")]
    [InlineData("2 +")]
    [InlineData("(2 + 3")]
    [InlineData("2 + 3)")]
    [InlineData("2 3")]
    [InlineData("3/0")]
    [InlineData("2 ** 3")]
    [InlineData("x + 1")]
    [InlineData("1.")]
    [InlineData("3/")]
    public void Rejects_malformed_text(string text)
    {
        Assert.Throws<FormatException>(() => ExpressionParser.Parse(text));
        Assert.False(ExpressionParser.TryParse(text, out _));
    }

    [Fact]
    public void Rejects_hostile_nesting_and_exponents()
    {
        Assert.Throws<FormatException>(() => ExpressionParser.Parse(new string('(', 10_000) + "1" + new string(')', 10_000)));
        Assert.Throws<OverflowException>(() => ExpressionParser.Evaluate("9^9^9"));
        Assert.Throws<OverflowException>(() => ExpressionParser.Evaluate("2^(1/2)"));
    }

    [Fact]
    public void Division_by_zero_surfaces()
    {
        Assert.Throws<DivideByZeroException>(() => ExpressionParser.Evaluate("1 / (2 - 2)"));
        Assert.False(ExpressionParser.Parse("1 / 0").TryEvaluate(out _));
    }

    [Fact]
    public void Builds_the_expected_tree()
    {
        var expected = new Binary(Operator.Multiply,
            new Parenthesized(new Binary(Operator.Add, Literal.Fraction(3, 4), Literal.Integer(5))),
            new Power(Literal.Integer(2), Literal.Integer(3)));
        var parsed = ExpressionParser.Parse("(3/4 + 5) * 2^3");
        Assert.Equal(expected, parsed);
        Assert.Equal(2, parsed.Operations);
        Assert.Equal("(3/4 + 5) * 2^3", parsed.Render());
    }

    [Fact]
    public void The_rendered_string_not_the_built_tree_is_the_problem()
    {
        // a - (b + c) built without parentheses renders "5 - 1 + 2", which means (5 - 1) + 2.
        var built = new Binary(Operator.Subtract, Literal.Integer(5), new Binary(Operator.Add, Literal.Integer(1), Literal.Integer(2)));
        Assert.Equal("5 - 1 + 2", built.Render());
        Assert.Equal(new Rational(2), built.Evaluate());
        Assert.Equal(new Rational(6), ExpressionParser.Evaluate(built.Render()));
    }

    [Fact]
    public void Parse_of_render_is_the_same_tree_and_value_for_random_expressions()
    {
        var generator = new RandomCalculationGenerator(seed: 7);
        for (var i = 0; i < 500; i++)
        {
            var expression = generator.Generate(1 + i % 10);
            var reparsed = ExpressionParser.Parse(expression.Render());
            Assert.Equal(expression, reparsed);
            Assert.Equal(expression.Render(), reparsed.Render());
            Assert.Equal(expression.Evaluate(), reparsed.Evaluate());
        }
    }
}
