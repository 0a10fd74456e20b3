namespace Rlpt.Data.Corpora.Arithmetic;

/// <summary>One worked step: an operation on two known values (<c>23/4 * 8</c>) and its exact result.</summary>
public sealed record WorkedStep(string Computation, Rational Value);

/// <summary>
/// Works an expression out one operation at a time, innermost first and left to right (a post-order walk of the
/// parse tree), so each step uses only literals from the text and results of earlier steps. Powers are steps too;
/// unary minus and parentheses are not (they add no arithmetic).
/// </summary>
public static class WorkedSolution
{
    /// <exception cref="DivideByZeroException">Some step divides by zero.</exception>
    public static IReadOnlyList<WorkedStep> Steps(Expression expression, out Rational value)
    {
        var steps = new List<WorkedStep>();
        value = Solve(expression, steps).Value;
        return steps;
    }

    // Shown is how the operand is written in the step that uses it: a literal as written, a result as its value.
    private static (Rational Value, string Shown) Solve(Expression expression, List<WorkedStep> steps)
    {
        switch (expression)
        {
            case Literal literal:
                return (literal.Value, literal.Text);
            case Parenthesized parenthesized:
                return Solve(parenthesized.Inner, steps);
            case Negation negation:
                var negated = -Solve(negation.Operand, steps).Value;
                return (negated, Show(negated));
            case Power power:
                var (baseValue, baseShown) = Solve(power.Base, steps);
                var (exponentValue, exponentShown) = Solve(power.Exponent, steps);
                var result = Power.Raise(baseValue, exponentValue);
                steps.Add(new($"{Tight(baseShown)}^{Tight(exponentShown)}", result));
                return (result, Show(result));
            case Binary binary:
                var (left, leftShown) = Solve(binary.Left, steps);
                var (right, rightShown) = Solve(binary.Right, steps);
                var value = Binary.Apply(binary.Operator, left, right);
                // "4624 / (461/9)" reads the same under any convention, where "4624 / 461/9" relies on tight fractions.
                if (binary.Operator == Operator.Divide && rightShown.Contains('/') && !rightShown.StartsWith('(')) rightShown = $"({rightShown})";
                steps.Add(new($"{leftShown} {Binary.Symbol(binary.Operator)} {rightShown}", value));
                return (value, Show(value));
            default:
                throw new ArgumentException($"Unknown expression node {expression.GetType().Name}.", nameof(expression));
        }
    }

    // A negative result is parenthesised so that "5 - (-3/4)" never reads as "5 - -3/4".
    private static string Show(Rational value) => value.Sign < 0 ? $"({value})" : value.ToString();

    // Operands of '^' other than plain non-negative integers are parenthesised: "(3/4)^2", "2^(-1)".
    private static string Tight(string shown) =>
        shown.All(char.IsAsciiDigit) || shown.StartsWith('(') ? shown : $"({shown})";
}
