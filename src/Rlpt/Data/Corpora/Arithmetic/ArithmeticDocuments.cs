using System.Globalization;
using System.Text;

namespace Rlpt.Data.Corpora.Arithmetic;

/// <summary>
/// RandomCalculation problems as documents whose sentences work the expression out one operation per sentence,
/// with exact intermediate values, ending in the fixed sentence "So the value of EXPR is VALUE." Every sentence
/// ends in ". " (the last in "."), and nothing inside a sentence contains a '.', since all values are integers or
/// fractions.
/// <para>
/// Train / evaluation disjointness is a hash partition on the canonical expression text: an expression is
/// held out when <see cref="DocumentSplit.IsHeldOut"/> puts it in the <see cref="EvaluationFraction"/> share.
/// Training documents never use held-out expressions and evaluation problems only use them, so the two are
/// disjoint for any seeds, counts and levels, with no state shared between the two sides.
/// </para>
/// </summary>
public static class ArithmeticDocuments
{
    public const double EvaluationFraction = 0.05;

    private const int MaxDrawsPerProblem = 10_000;

    /// <summary>How the last sentence of every document begins: "So the value of EXPR is VALUE."</summary>
    public const string ConclusionStart = "So the value of";

    private const string FirstLead = "First";

    public static bool IsHeldOut(string expression) => DocumentSplit.IsHeldOut(expression, EvaluationFraction);

    /// <summary>
    /// How every document of a problem with at least one operation begins, up to its first computation: the prompt
    /// a model continues when evaluated on <paramref name="expression"/> (canonical text).
    /// </summary>
    public static string Opening(string expression) => $"{Statement(expression)} {FirstLead},";

    private static string Statement(string expression) => $"We need to compute {expression}.";

    /// <summary>
    /// <see cref="ArithmeticCorpusOptions.Count"/> documents named "{source}-{index}", with metadata
    /// "expression", "answer" (integer or p/q) and "operations". Lazily generated, deterministic for a seed.
    /// </summary>
    public static IEnumerable<Document> Generate(ArithmeticCorpusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinOperations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxOperations, options.MinOperations);
        return Documents(options);
    }

    private static IEnumerable<Document> Documents(ArithmeticCorpusOptions options)
    {
        var generator = new RandomCalculationGenerator(options.Seed);
        var levels = options.MaxOperations - options.MinOperations + 1;
        var formats = options.Formats.Keys.Select(AnswerFormats.Validate).ToArray();
        var cumulative = options.Formats.Values.Select((_, i) => options.Formats.Values.Take(i + 1).Sum()).ToArray();
        // A stream of its own, so mixing formats never changes which problems a seed writes.
        var formatDraws = new Random(unchecked(options.Seed * 31 + 17));
        for (var index = 0; index < options.Count; index++)
        {
            var expression = Draw(generator, options.MinOperations + index % levels, heldOut: false);
            string format = formats.Length == 1 ? formats[0] : formats[Math.Min(formats.Length - 1, Array.FindIndex(cumulative, c => c > formatDraws.NextDouble() * cumulative[^1]))];
            var text = Write(expression, format, out var answer);
            var metadata = new Dictionary<string, string>
            {
                ["expression"] = expression.Render(),
                ["answer"] = answer.ToString(),
                ["operations"] = expression.Operations.ToString(CultureInfo.InvariantCulture),
            };
            if (formats.Length > 1) metadata["format"] = format;
            yield return new Document(options.Source, $"{options.Source}-{index}", text, metadata);
        }
    }

    /// <summary>The worked solution of <paramref name="expression"/> as a document text.</summary>
    /// <exception cref="DivideByZeroException">The expression divides by zero.</exception>
    public static string Write(Expression expression, out Rational answer) => Write(expression, AnswerFormats.Conclusion, out answer);

    /// <summary>The worked solution with its answer stated in <paramref name="format"/>.</summary>
    public static string Write(Expression expression, string format, out Rational answer)
    {
        var rendered = expression.Render();
        var steps = WorkedSolution.Steps(expression, out answer);
        var text = new StringBuilder(Statement(rendered));
        for (var i = 0; i < steps.Count; i++)
        {
            var lead = i == 0 ? FirstLead : i == steps.Count - 1 ? "Finally" : i % 2 == 1 ? "Next" : "Then";
            text.Append($" {lead}, {steps[i].Computation} = {steps[i].Value}.");
        }
        text.Append(' ').Append(AnswerFormats.Write(format, rendered, answer));
        return text.ToString();
    }

    /// <summary>
    /// <paramref name="count"/> distinct held-out problems with <paramref name="level"/> operations, never any in
    /// <paramref name="exclude"/> (canonical expression texts) and never any a training document can contain.
    /// </summary>
    /// <exception cref="InvalidOperationException">Too few distinct problems exist at this level.</exception>
    public static IReadOnlyList<ArithmeticProblem> EvaluationSet(int level, int count, int seed, ISet<string>? exclude = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var generator = new RandomCalculationGenerator(seed);
        var seen = new HashSet<string>();
        var problems = new List<ArithmeticProblem>(count);
        for (var draws = 0; problems.Count < count; draws++)
        {
            if (draws >= MaxDrawsPerProblem * (count + 1))
                throw new InvalidOperationException($"Found only {problems.Count} of {count} distinct held-out level-{level} problems.");
            var expression = Draw(generator, level, heldOut: true);
            var text = expression.Render();
            if (exclude?.Contains(text) == true || !seen.Add(text)) continue;
            problems.Add(new ArithmeticProblem(text, expression.Evaluate(), expression.Operations));
        }
        return problems;
    }

    /// <summary>
    /// One training-side problem (never a held-out expression) with <paramref name="level"/> operations, a pure function of
    /// (level, seed): RL objectives draw their n-th problem with a seed derived from n, so a resumed run continues exactly.
    /// </summary>
    public static ArithmeticProblem TrainingProblem(int level, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        var expression = Draw(new RandomCalculationGenerator(seed), level, heldOut: false);
        return new ArithmeticProblem(expression.Render(), expression.Evaluate(), expression.Operations, Write(expression, out _));
    }

    private static Expression Draw(RandomCalculationGenerator generator, int level, bool heldOut)
    {
        for (var draw = 0; draw < MaxDrawsPerProblem; draw++)
        {
            var expression = generator.Generate(level);
            if (IsHeldOut(expression.Render()) == heldOut) return expression;
        }
        throw new InvalidOperationException($"No {(heldOut ? "held-out" : "training")} level-{level} problem in {MaxDrawsPerProblem} draws.");
    }
}
