using System.Numerics;

namespace Rlpt.Data.Corpora.Arithmetic;

/// <summary>
/// An arithmetic expression tree, written in ASCII: <c>+ - * /</c> with one space either side, <c>^</c> for powers,
/// and literals without spaces (<c>7</c>, <c>3/4</c>, <c>0.5</c>). A tight <c>3/4</c> is one number, while
/// <c>3 / 4</c> is a division (see <see cref="ExpressionParser"/>).
/// <para>
/// Parentheses are nodes of their own and <see cref="Render"/> writes exactly the tree, adding none. A hand-built
/// tree can therefore render to a string that means something else (<c>5 - (1 + 2)</c> built without its
/// parentheses renders <c>5 - 1 + 2</c>); the rendered string is the truth, and re-parsing it gives the tree whose
/// value counts. Trees from <see cref="ExpressionParser"/> render back to their canonical text.
/// </para>
/// </summary>
public abstract record Expression
{
    /// <summary>Number of <c>+ - * /</c> operations (powers and literals are not counted: they are leaves).</summary>
    public abstract int Operations { get; }

    /// <summary>The exact value of this tree as built.</summary>
    /// <exception cref="DivideByZeroException">Some division (or power) divides by zero.</exception>
    public abstract Rational Evaluate();

    public bool TryEvaluate(out Rational value)
    {
        try
        {
            value = Evaluate();
            return true;
        }
        catch (DivideByZeroException)
        {
            value = default;
            return false;
        }
    }

    public abstract string Render();

    public sealed override string ToString() => Render();
}

/// <summary>A number as written: an integer, a tight fraction such as <c>6/3</c> (kept unreduced), or a decimal.</summary>
public sealed record Literal : Expression
{
    private Literal(string text, Rational value)
    {
        Text = text;
        Value = value;
    }

    public string Text { get; }
    public Rational Value { get; }

    public static Literal Integer(BigInteger value) =>
        value.Sign < 0 ? throw new ArgumentOutOfRangeException(nameof(value), "Literals are non-negative; use Negation.") : new(value.ToString(), value);

    public static Literal Fraction(int numerator, int denominator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(denominator);
        return new($"{numerator}/{denominator}", new Rational(numerator, denominator));
    }

    /// <summary>A literal from an unsigned number token (<c>12</c>, <c>3/4</c>, <c>0.25</c>).</summary>
    /// <exception cref="FormatException">Not such a token.</exception>
    public static Literal Parse(string token) =>
        token.Length > 0 && char.IsAsciiDigit(token[0]) && Rational.TryParse(token, out var value) && token.Trim() == token
            ? new(token, value)
            : throw new FormatException($"'{token}' is not an unsigned number literal.");

    public override int Operations => 0;
    public override Rational Evaluate() => Value;
    public override string Render() => Text;
}

/// <summary>Parentheses around an expression, kept so that rendering reproduces them.</summary>
public sealed record Parenthesized(Expression Inner) : Expression
{
    public override int Operations => Inner.Operations;
    public override Rational Evaluate() => Inner.Evaluate();
    public override string Render() => $"({Inner.Render()})";
}

/// <summary>Unary minus.</summary>
public sealed record Negation(Expression Operand) : Expression
{
    public override int Operations => Operand.Operations;
    public override Rational Evaluate() => -Operand.Evaluate();
    public override string Render() => $"-{Operand.Render()}";
}

/// <summary><c>Base^Exponent</c>; the exponent must be an integer of magnitude at most <see cref="MaxExponent"/>.</summary>
public sealed record Power(Expression Base, Expression Exponent) : Expression
{
    /// <summary>Keeps a hostile input such as <c>9^9^9</c> from exhausting memory.</summary>
    public const int MaxExponent = 4096;

    public override int Operations => Base.Operations + Exponent.Operations;

    public override Rational Evaluate() => Raise(Base.Evaluate(), Exponent.Evaluate());

    /// <exception cref="OverflowException">The exponent is not an integer within ±<see cref="MaxExponent"/>.</exception>
    /// <exception cref="DivideByZeroException">Zero to a negative power.</exception>
    public static Rational Raise(Rational baseValue, Rational exponent)
    {
        if (!exponent.IsInteger || BigInteger.Abs(exponent.Numerator) > MaxExponent)
            throw new OverflowException($"Exponent {exponent} is not an integer within ±{MaxExponent}.");
        return baseValue.Pow((int)exponent.Numerator);
    }

    public override string Render() => $"{Base.Render()}^{Exponent.Render()}";
}

public enum Operator
{
    Add,
    Subtract,
    Multiply,
    Divide,
}

/// <summary>A binary operation, rendered with one space either side of its symbol.</summary>
public sealed record Binary(Operator Operator, Expression Left, Expression Right) : Expression
{
    public override int Operations => 1 + Left.Operations + Right.Operations;

    public override Rational Evaluate() => Apply(Operator, Left.Evaluate(), Right.Evaluate());

    public override string Render() => $"{Left.Render()} {Symbol(Operator)} {Right.Render()}";

    public static char Symbol(Operator op) => op switch
    {
        Operator.Add => '+',
        Operator.Subtract => '-',
        Operator.Multiply => '*',
        Operator.Divide => '/',
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <exception cref="DivideByZeroException">Division by zero.</exception>
    public static Rational Apply(Operator op, Rational left, Rational right) => op switch
    {
        Operator.Add => left + right,
        Operator.Subtract => left - right,
        Operator.Multiply => left * right,
        Operator.Divide => left / right,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
