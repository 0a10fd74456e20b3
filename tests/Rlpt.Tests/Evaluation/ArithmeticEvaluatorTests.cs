using Rlpt.Data.Corpora.Arithmetic;
using Rlpt.Evaluation;

namespace Rlpt.Tests.Evaluation;

public sealed class ArithmeticEvaluatorTests(EvaluationFixture fixture) : IClassFixture<EvaluationFixture>
{
    private static readonly Rational Seven = 7;

    [Fact]
    public void ThePromptIsHowTheCorpusDocumentOfTheProblemBegins()
    {
        var expression = ExpressionParser.Parse("(3/4 + 5) * 2^3");
        Assert.Equal("We need to compute (3/4 + 5) * 2^3. First,", ArithmeticDocuments.Opening(expression.Render()));
        Assert.StartsWith(ArithmeticDocuments.Opening(expression.Render()) + " ", ArithmeticDocuments.Write(expression, out _));
    }

    [Theory]
    [InlineData(" 3 + 4 = 7. So the value of 3 + 4 is 7.", true)]
    [InlineData(" 3 + 4 = 7. So the value of 3 + 4 is 14/2.\n", true)]
    [InlineData(" 3 + 4 = 7. So the value of 3 + 4 is 7.0. We need to compute 1 + 1.", true)]
    [InlineData(" 3 + 4 = 8. So the value of 3 + 4 is 8.", false)]
    [InlineData(" 3 + 4 = 7. Then we stop.", false)]
    [InlineData(" 3 + 4 = 7. So the value of 3 + 4 is", false)]
    [InlineData(" 3 + 4 = 7. So the value of 3 + 4 is seven. 7", false)]
    [InlineData(" So the value of 3 + 4 is 8. So the value of 3 + 4 is 7.", false)] // the first conclusion is the answer
    [InlineData("", false)]
    public void TheAnswerIsTheValueStatedInTheConclusion(string completion, bool correct) =>
        Assert.Equal(correct, ArithmeticEvaluator.IsCorrect(completion, Seven));

    [Fact]
    public void TheConclusionOfACorpusDocumentReadsAsItsAnswer()
    {
        var expression = ExpressionParser.Parse("(3/4 + 5) * 2^3");
        var document = ArithmeticDocuments.Write(expression, out var answer);
        Assert.True(ArithmeticEvaluator.TryReadAnswer(document, out var stated));
        Assert.Equal(answer, stated);
        Assert.True(ArithmeticEvaluator.IsCorrect(document[ArithmeticDocuments.Opening(expression.Render()).Length..], answer));
    }

    [Fact]
    public void EvaluatesEveryLevelWithPassAtOneAndPassAtK()
    {
        var options = new ArithmeticEvaluationOptions
        {
            MaxLevel = 2, ProblemsPerLevel = 3, Seed = 4,
            Greedy = EvaluationDecoding.Greedy(maxNewTokens: 6),
            Sampled = EvaluationDecoding.Sampled(samples: 3, maxNewTokens: 6, seed: 1),
        };
        var result = new ArithmeticEvaluator(fixture.Model, fixture.Corpus.Tokenizer).Evaluate(options);

        Assert.Equal([1, 2], result.Levels.Select(l => l.Level));
        Assert.Equal(6, result.Problems.Count);
        Assert.Equal(ArithmeticDocuments.EvaluationSet(2, 3, 4).Select(p => p.Expression), result.Problems.Where(p => p.Level == 2).Select(p => p.Expression));
        foreach (var level in result.Levels)
        {
            Assert.Equal(3, level.Problems);
            Assert.Equal(["pass@1", "pass@3"], level.PassAtK.Keys);
            Assert.InRange(level.PassAt1.Mean, 0, 1);
            Assert.InRange(level.FormatRate, 0, 1);
            var problems = result.Problems.Where(p => p.Level == level.Level).ToArray();
            Assert.Equal(problems.Average(p => p.SamplesCorrect / 3.0), level.PassAtK["pass@1"].Mean, 12);
            Assert.Equal(problems.Average(p => p.SamplesCorrect > 0 ? 1.0 : 0.0), level.PassAtK["pass@3"].Mean, 12);
        }
        Assert.Throws<ArgumentException>(() => new ArithmeticEvaluator(fixture.Model, fixture.Corpus.Tokenizer).Evaluate(options with { K = [4] }));
    }
}
