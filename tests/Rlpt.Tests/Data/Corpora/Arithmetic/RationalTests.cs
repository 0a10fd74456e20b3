using System.Numerics;
using Rlpt.Data.Corpora.Arithmetic;

namespace Rlpt.Tests.Data.Corpora.Arithmetic;

public sealed class RationalTests
{
    [Fact]
    public void Normalises_to_lowest_terms_with_a_positive_denominator()
    {
        var r = new Rational(6, -4);
        Assert.Equal(new BigInteger(-3), r.Numerator);
        Assert.Equal(new BigInteger(2), r.Denominator);
        Assert.Equal(new Rational(-3, 2), new Rational(3, -2));
        Assert.Equal(new Rational(0, 1), new Rational(0, -7));
        Assert.Equal(BigInteger.One, new Rational(0, -7).Denominator);
        Assert.Equal("-3/2", r.ToString());
        Assert.Equal("5", new Rational(10, 2).ToString());
    }

    [Fact]
    public void Default_is_zero()
    {
        Assert.Equal(Rational.Zero, default);
        Assert.Equal(BigInteger.One, default(Rational).Denominator);
        Assert.Equal(new Rational(1, 2), default(Rational) + new Rational(1, 2));
    }

    [Fact]
    public void Arithmetic_matches_hand_computed_values()
    {
        Assert.Equal(new Rational(1, 2), new Rational(1, 3) + new Rational(1, 6));
        Assert.Equal(new Rational(-1, 12), new Rational(1, 4) - new Rational(1, 3));
        Assert.Equal(new Rational(-10, 21), new Rational(2, 3) * new Rational(-5, 7));
        Assert.Equal(new Rational(9, 8), new Rational(3, 4) / new Rational(2, 3));
        Assert.Equal(new Rational(3, 2), -new Rational(-3, 2));
        Assert.Equal(new Rational(23, 4), new Rational(3, 4) + 5);
        Assert.Equal(new Rational(46), new Rational(23, 4) * 8);
    }

    [Fact]
    public void Division_by_zero_throws_or_reports()
    {
        Assert.Throws<DivideByZeroException>(() => new Rational(1, 2) / Rational.Zero);
        Assert.Throws<DivideByZeroException>(() => new Rational(1, 0));
        Assert.False(Rational.TryDivide(1, 0, out _));
        Assert.True(Rational.TryDivide(1, 4, out var quarter));
        Assert.Equal(new Rational(1, 4), quarter);
    }

    [Fact]
    public void Powers()
    {
        Assert.Equal(new Rational(8, 27), new Rational(2, 3).Pow(3));
        Assert.Equal(new Rational(9, 4), new Rational(2, 3).Pow(-2));
        Assert.Equal(new Rational(-8), new Rational(-2).Pow(3));
        Assert.Equal(Rational.One, new Rational(5, 7).Pow(0));
        Assert.Equal(new Rational(970299), new Rational(99).Pow(3));
        Assert.Throws<DivideByZeroException>(() => Rational.Zero.Pow(-1));
    }

    [Fact]
    public void Compares_by_value()
    {
        Assert.True(new Rational(1, 3) < new Rational(1, 2));
        Assert.True(new Rational(-1, 2) < new Rational(-1, 3));
        Assert.True(new Rational(2, 4) >= new Rational(1, 2));
        Assert.Equal(0, new Rational(2, 4).CompareTo(new Rational(1, 2)));
        Assert.Equal(new Rational(2, 4).GetHashCode(), new Rational(1, 2).GetHashCode());
    }

    [Theory]
    [InlineData("3", 3, 1)]
    [InlineData("-3", -3, 1)]
    [InlineData("+3", 3, 1)]
    [InlineData("3/4", 3, 4)]
    [InlineData("-3/4", -3, 4)]
    [InlineData("6/4", 3, 2)]
    [InlineData("0.75", 3, 4)]
    [InlineData("-1.5", -3, 2)]
    [InlineData(" 007.50 ", 15, 2)]
    public void Parses(string text, int numerator, int denominator) =>
        Assert.Equal(new Rational(numerator, denominator), Rational.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("3/0")]
    [InlineData("3/-4")]
    [InlineData("1 1/2")]
    [InlineData("1.5/2")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1,000")]
    [InlineData("1e3")]
    [InlineData("--3")]
    public void Rejects(string text)
    {
        Assert.False(Rational.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Rational.Parse(text));
    }

    [Fact]
    public void Parse_and_format_round_trip()
    {
        foreach (var r in new[] { new Rational(-23, 4), new Rational(0), new Rational(46), new Rational(1, 99) })
            Assert.Equal(r, Rational.Parse(r.ToString()));
    }

    [Fact]
    public void Converts_to_double_even_for_huge_parts()
    {
        Assert.Equal(-0.75, new Rational(-3, 4).ToDouble());
        var huge = BigInteger.Pow(10, 400);
        Assert.Equal(1.0 / 3, new Rational(huge, 3 * huge).ToDouble(), 12);
        Assert.Equal(double.PositiveInfinity, new Rational(huge).ToDouble());
        Assert.Equal(0.0, new Rational(1, huge).ToDouble());
    }
}
