namespace Rlpt.Data.Corpora.Arithmetic;

/// <summary>
/// RandomCalculation problems after "Reasoning or Memorization?" (arXiv 2507.10532). Leaves are integers 0–99,
/// fractions i/d (i = 1..99, d = 2..9, written unreduced) and powers i^2, i^3 (i = 2..99); the three kinds are drawn
/// with equal probability (the paper does not say how it weighs them). A level-k expression joins a level-j and a
/// level-(k−1−j) expression, j uniform in 0..k−1, with an operator uniform over <c>+ - * /</c>; the operands are
/// swapped with probability 0.5, and an operand of <c>*</c> or <c>/</c> that contains an operation is parenthesised.
/// Nothing else is parenthesised, so <c>a - (b + c)</c> is written <c>a - b + c</c>: as in the paper, the problem
/// is the rendered string and its value is what re-parsing that string gives.
/// <para>Deterministic for a seed: the same seed yields the same sequence of expressions on every run.</para>
/// </summary>
public sealed class RandomCalculationGenerator(int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>
    /// A problem with <paramref name="operations"/> operations, returned as the parse of its rendered text (so its
    /// <see cref="Expression.Evaluate"/> is the answer). A draw that divides by zero anywhere is discarded and drawn again.
    /// </summary>
    public Expression Generate(int operations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(operations);
        while (true)
        {
            var parsed = ExpressionParser.Parse(Build(operations).Render());
            if (parsed.TryEvaluate(out _)) return parsed;
        }
    }

    private Expression Build(int level)
    {
        if (level == 0) return Leaf();
        var leftLevel = _random.Next(level);
        var left = Build(leftLevel);
        var right = Build(level - 1 - leftLevel);
        var op = (Operator)_random.Next(4);
        if (_random.Next(2) == 1) (left, right) = (right, left);
        if (op is Operator.Multiply or Operator.Divide)
        {
            if (left.Operations > 0) left = new Parenthesized(left);
            if (right.Operations > 0) right = new Parenthesized(right);
        }
        return new Binary(op, left, right);
    }

    private Expression Leaf() => _random.Next(3) switch
    {
        0 => Literal.Integer(_random.Next(100)),
        1 => Literal.Fraction(_random.Next(1, 100), _random.Next(2, 10)),
        _ => new Power(Literal.Integer(_random.Next(2, 100)), Literal.Integer(_random.Next(2, 4))),
    };
}
