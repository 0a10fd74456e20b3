using System.Text.RegularExpressions;
using Rlpt.Data.Corpora.Arithmetic;

namespace Rlpt.Tests.Data.Corpora.Arithmetic;

public sealed partial class RandomCalculationGeneratorTests
{
    [GeneratedRegex(@" [-+*/] ")]
    private static partial Regex SpacedOperator();

    [Fact]
    public void Same_seed_same_expressions_different_seed_different_ones()
    {
        static string[] Draw(int seed)
        {
            var generator = new RandomCalculationGenerator(seed);
            return Enumerable.Range(1, 50).Select(level => generator.Generate(1 + level % 6).Render()).ToArray();
        }
        Assert.Equal(Draw(3), Draw(3));
        Assert.NotEqual(Draw(3), Draw(4));
    }

    [Fact]
    public void Pinned_first_draws_for_seed_zero()
    {
        // A seeded System.Random replays the same sequence on every run; this also pins the construction order.
        var generator = new RandomCalculationGenerator(0);
        var drawn = Enumerable.Range(0, 3).Select(_ => generator.Generate(2).Render()).ToArray();
        Assert.Equal(new[] { "(56^2 / 90/5) * 46", "69 * (81 / 99^3)", "38 - 30/9 * 18" }, drawn);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(20)]
    public void The_level_is_the_number_of_operators(int level)
    {
        var generator = new RandomCalculationGenerator(level);
        for (var i = 0; i < 100; i++)
        {
            var expression = generator.Generate(level);
            Assert.Equal(level, expression.Operations);
            Assert.Equal(level, SpacedOperator().Count(expression.Render()));
        }
    }

    [Fact]
    public void Leaves_come_from_the_paper_ranges()
    {
        var generator = new RandomCalculationGenerator(11);
        var kinds = new HashSet<string>();
        for (var i = 0; i < 300; i++)
            foreach (var leaf in Leaves(generator.Generate(3)))
            {
                switch (leaf)
                {
                    case Literal { Value.IsInteger: true } integer when !integer.Text.Contains('/'):
                        Assert.InRange((int)integer.Value.Numerator, 0, 99);
                        kinds.Add("integer");
                        break;
                    case Literal fraction:
                        var parts = fraction.Text.Split('/').Select(int.Parse).ToArray();
                        Assert.InRange(parts[0], 1, 99);
                        Assert.InRange(parts[1], 2, 9);
                        kinds.Add("fraction");
                        break;
                    case Power { Base: Literal b, Exponent: Literal e }:
                        Assert.InRange((int)b.Value.Numerator, 2, 99);
                        Assert.Contains(e.Text, new[] { "2", "3" });
                        kinds.Add("power");
                        break;
                    default:
                        Assert.Fail($"Unexpected leaf {leaf}");
                        break;
                }
            }
        Assert.Equal(3, kinds.Count);
    }

    [Fact]
    public void Only_compound_operands_of_multiply_and_divide_are_parenthesised()
    {
        var generator = new RandomCalculationGenerator(5);
        var sawParentheses = false;
        for (var i = 0; i < 300; i++)
            foreach (var node in Nodes(generator.Generate(1 + i % 6)))
            {
                if (node is Parenthesized p)
                {
                    Assert.True(p.Inner.Operations > 0, $"Needless parentheses around {p.Inner}");
                    sawParentheses = true;
                }
                if (node is not Binary binary) continue;
                var multiplicative = binary.Operator is Operator.Multiply or Operator.Divide;
                // In the parse of the rendered text, an operand of * or / is a leaf or parenthesised;
                // an operand of + or - never is parenthesised.
                foreach (var operand in new[] { binary.Left, binary.Right })
                    if (multiplicative) Assert.True(operand is Literal or Power or Parenthesized, $"{binary}");
                    else Assert.False(operand is Parenthesized, $"{binary}");
            }
        Assert.True(sawParentheses);
    }

    [Fact]
    public void Never_divides_by_zero()
    {
        var generator = new RandomCalculationGenerator(1);
        for (var i = 0; i < 500; i++) Assert.True(generator.Generate(1 + i % 8).TryEvaluate(out _));
    }

    private static IEnumerable<Expression> Leaves(Expression expression) =>
        Nodes(expression).Where(n => n is Literal && !IsInsidePower(expression, n) || n is Power);

    private static bool IsInsidePower(Expression root, Expression node) =>
        Nodes(root).OfType<Power>().Any(p => ReferenceEquals(p.Base, node) || ReferenceEquals(p.Exponent, node));

    private static IEnumerable<Expression> Nodes(Expression expression)
    {
        yield return expression;
        IEnumerable<Expression> children = expression switch
        {
            Binary b => [b.Left, b.Right],
            Parenthesized p => [p.Inner],
            Power p => [p.Base, p.Exponent],
            Negation n => [n.Operand],
            _ => [],
        };
        foreach (var child in children)
            foreach (var node in Nodes(child))
                yield return node;
    }
}
