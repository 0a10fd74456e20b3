namespace Rlpt.Data.Corpora.Arithmetic;

/// <summary>A held-out problem: its canonical expression text, exact answer and number of operations (its level).</summary>
public sealed record ArithmeticProblem(string Expression, Rational Answer, int Operations);
