using Rlpt.Data.Corpora.Arithmetic;

namespace Rlpt.Tests.Data.Corpora.Arithmetic;

public sealed class ArithmeticDocumentsTests
{
    private static readonly ArithmeticCorpusOptions Small = new() { Count = 600, Seed = 42 };

    [Fact]
    public void Writes_the_worked_example_step_by_step()
    {
        var text = ArithmeticDocuments.Write(ExpressionParser.Parse("(3/4 + 5) * 2^3"), out var answer);
        Assert.Equal(new Rational(46), answer);
        Assert.Equal(
            "We need to compute (3/4 + 5) * 2^3. First, 3/4 + 5 = 23/4. Next, 2^3 = 8. Finally, 23/4 * 8 = 46. "
            + "So the value of (3/4 + 5) * 2^3 is 46.",
            text);
    }

    [Fact]
    public void Negative_intermediate_values_are_parenthesised()
    {
        var text = ArithmeticDocuments.Write(ExpressionParser.Parse("1 - 7 * 2 - 3/4"), out var answer);
        Assert.Equal(new Rational(-55, 4), answer);
        Assert.Contains("Next, 1 - 14 = -13.", text);
        Assert.Contains("Finally, (-13) - 3/4 = -55/4.", text);
    }

    [Fact]
    public void Every_step_restates_an_exact_value_and_the_last_sentence_states_the_answer()
    {
        foreach (var document in ArithmeticDocuments.Generate(Small))
        {
            var metadata = document.Metadata!;
            var answer = Rational.Parse(metadata["answer"]);
            Assert.Equal(answer, ExpressionParser.Evaluate(metadata["expression"]));

            // A sentence segmenter splitting on ". " sees exactly the sentences written.
            Assert.DoesNotContain("..", document.Text);
            var sentences = document.Text.TrimEnd('.').Split(". ");
            Assert.Equal($"We need to compute {metadata["expression"]}", sentences[0]);
            var steps = sentences[1..^1];
            Assert.NotEmpty(steps);
            Assert.StartsWith("First, ", steps[0]);
            foreach (var step in steps)
            {
                var equation = step[(step.IndexOf(", ", StringComparison.Ordinal) + 2)..].Split(" = ");
                Assert.Equal(2, equation.Length);
                Assert.True(NumericAnswer.TryParseStatedValue(step + ".", out var stated), step);
                Assert.Equal(ExpressionParser.Evaluate(equation[0]), stated);
                Assert.Equal(Rational.Parse(equation[1]), stated);
            }
            Assert.Equal($"So the value of {metadata["expression"]} is {metadata["answer"]}", sentences[^1]);
            Assert.True(NumericAnswer.TryParseStatedValue(document.Text, out var final));
            Assert.Equal(answer, final);
        }
    }

    [Fact]
    public void Documents_cycle_levels_carry_metadata_and_are_deterministic()
    {
        var documents = ArithmeticDocuments.Generate(Small).ToList();
        Assert.Equal(600, documents.Count);
        Assert.Equal(documents, ArithmeticDocuments.Generate(Small).ToList(), new DocumentComparer());
        for (var i = 0; i < documents.Count; i++)
        {
            Assert.Equal("arithmetic", documents[i].Source);
            Assert.Equal($"arithmetic-{i}", documents[i].Name);
            Assert.Equal((1 + i % 6).ToString(), documents[i].Metadata!["operations"]);
            Assert.Equal(1 + i % 6, ExpressionParser.Parse(documents[i].Metadata!["expression"]).Operations);
        }
        Assert.NotEqual(documents[0].Text, ArithmeticDocuments.Generate(Small with { Seed = 43 }).First().Text);
    }

    [Fact]
    public void Training_documents_never_use_held_out_expressions()
    {
        Assert.All(ArithmeticDocuments.Generate(Small),
            document => Assert.False(ArithmeticDocuments.IsHeldOut(document.Metadata!["expression"])));
    }

    [Fact]
    public void Evaluation_problems_are_disjoint_from_training_and_distinct()
    {
        var training = ArithmeticDocuments.Generate(Small with { Count = 3000, MaxOperations = 2 })
            .Select(d => d.Metadata!["expression"]).ToHashSet();
        foreach (var level in new[] { 1, 2, 4 })
        {
            var problems = ArithmeticDocuments.EvaluationSet(level, count: 200, seed: 42);
            Assert.Equal(200, problems.Count);
            Assert.Equal(200, problems.Select(p => p.Expression).Distinct().Count());
            foreach (var problem in problems)
            {
                Assert.DoesNotContain(problem.Expression, training);
                Assert.True(ArithmeticDocuments.IsHeldOut(problem.Expression));
                Assert.Equal(level, problem.Operations);
                Assert.Equal(problem.Answer, ExpressionParser.Evaluate(problem.Expression));
            }
        }
    }

    [Fact]
    public void Evaluation_set_honours_exclusions_and_is_deterministic()
    {
        var first = ArithmeticDocuments.EvaluationSet(3, count: 20, seed: 1);
        Assert.Equal(first, ArithmeticDocuments.EvaluationSet(3, count: 20, seed: 1));
        var excluded = first.Take(5).Select(p => p.Expression).ToHashSet();
        var rest = ArithmeticDocuments.EvaluationSet(3, count: 20, seed: 1, excluded);
        Assert.DoesNotContain(rest, p => excluded.Contains(p.Expression));
        Assert.Equal(first.Skip(5), rest.Take(15));
    }

    [Fact]
    public void Rejects_bad_options()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ArithmeticDocuments.Generate(Small with { MinOperations = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArithmeticDocuments.Generate(Small with { MinOperations = 4, MaxOperations = 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArithmeticDocuments.EvaluationSet(0, 10, 1));
    }

    private sealed class DocumentComparer : IEqualityComparer<Rlpt.Data.Document>
    {
        public bool Equals(Rlpt.Data.Document? x, Rlpt.Data.Document? y) =>
            x!.Name == y!.Name && x.Text == y.Text && x.Metadata!.SequenceEqual(y.Metadata!);

        public int GetHashCode(Rlpt.Data.Document obj) => obj.Text.GetHashCode();
    }
}
