namespace Rlpt.Data.Corpora.Arithmetic;

/// <summary>
/// A problem: its canonical expression text, exact answer and number of operations (its level); training problems also
/// carry their worked solution as a corpus document writes it (a demonstration for SFT-style objectives such as HPT).
/// </summary>
public sealed record ArithmeticProblem(string Expression, Rational Answer, int Operations, string? Solution = null);
