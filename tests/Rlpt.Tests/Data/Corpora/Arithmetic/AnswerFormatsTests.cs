using Rlpt.Data.Corpora.Arithmetic;
using Rlpt.Evaluation;
using Rlpt.Generation;
using Rlpt.Objectives.Rlvr;
using Rlpt.Training.Rl;

namespace Rlpt.Tests.Data.Corpora.Arithmetic;

public sealed class AnswerFormatsTests
{
    [Theory]
    [InlineData("conclusion", "So the value of 3 + 4 is 7/2.")]
    [InlineData("boxed", @"The answer is \boxed{7/2}.")]
    [InlineData("hash", "#### 7/2")]
    public void EachFormatWritesAndReadsBack(string format, string sentence)
    {
        Assert.Equal(sentence, AnswerFormats.Write(format, "3 + 4", new Rational(7, 2)));
        Assert.True(AnswerFormats.TryRead("First, 3 + 4 = 7. " + sentence + " Then more text.", out var value, out var read));
        Assert.Equal(new Rational(7, 2), value);
        Assert.Equal(format, read);
    }

    [Theory]
    [InlineData(@"#### 5 and later So the value of x is 6.", "hash", true, 5)]
    [InlineData(@"So the value of x is 6. The answer is \boxed{5}.", "conclusion", true, 6)]
    [InlineData(@"The answer is \boxed{5", "boxed", false, 0)] // cut off: its format, but no value
    [InlineData("no answer here", null, false, 0)]
    public void TheFirstStatementInAnyFormatIsTheAnswer(string completion, string? format, bool stated, int value)
    {
        Assert.Equal(stated, AnswerFormats.TryRead(completion, out var read, out var readFormat));
        Assert.Equal(format, readFormat);
        if (stated) Assert.Equal(new Rational(value, 1), read);
        Assert.Equal(format ?? ArithmeticAnswerReward.NoFormat, ArithmeticAnswerReward.FormatOf(completion));
        Assert.Equal(stated, ArithmeticEvaluator.TryReadAnswer(completion, out _));
    }

    [Fact]
    public void AMixedCorpusKeepsTheDefaultCorpusProblemsAndDrawsFormatsByWeight()
    {
        var plain = ArithmeticDocuments.Generate(new ArithmeticCorpusOptions { Count = 600, MaxOperations = 2, Seed = 4 }).ToArray();
        var mixed = ArithmeticDocuments.Generate(new ArithmeticCorpusOptions
        {
            Count = 600, MaxOperations = 2, Seed = 4,
            Formats = new Dictionary<string, double> { ["conclusion"] = 0.6, ["boxed"] = 0.3, ["hash"] = 0.1 },
        }).ToArray();
        Assert.All(plain, d => Assert.False(d.Metadata!.ContainsKey("format")));
        Assert.All(plain, d => Assert.Contains("So the value of", d.Text));
        Assert.Equal(plain.Select(d => d.Metadata!["expression"]), mixed.Select(d => d.Metadata!["expression"]));
        var shares = mixed.GroupBy(d => d.Metadata!["format"]).ToDictionary(g => g.Key, g => g.Count() / 600.0);
        Assert.InRange(shares["conclusion"], 0.52, 0.68);
        Assert.InRange(shares["boxed"], 0.22, 0.38);
        Assert.InRange(shares["hash"], 0.05, 0.15);
        Assert.All(mixed, d => Assert.Equal(d.Metadata!["format"], ArithmeticAnswerReward.FormatOf(d.Text[d.Text.IndexOf("First", StringComparison.Ordinal)..])));
        Assert.All(mixed, d => Assert.True(Rational.TryParse(d.Metadata!["answer"], out var answer) && ArithmeticEvaluator.IsCorrect(d.Text, answer)));
        Assert.Throws<ArgumentException>(() => AnswerFormats.ParseWeights(["latex=1"]));
        Assert.Throws<ArgumentException>(() => AnswerFormats.ParseWeights(["boxed=0"]));
    }

    [Fact]
    public async Task TheRlvrRewardReportsTheShareOfEachFormat()
    {
        var problem = new ArithmeticProblem("2 + 3", new Rational(5, 1), 1);
        var prompt = new RolloutPrompt([1], [], problem, new Dictionary<string, string>());
        GenerationResult Result(string text) => new([1], [0f], text, FinishReason.Stop, 1);
        var group = new RolloutGroup(prompt, [Result(" 2 + 3 = 5. #### 5"), Result(@" 2 + 3 = 5. The answer is \boxed{5}."), Result(" 2 + 3 = 6. #### 6"), Result(" nothing")]);
        var metrics = await new ArithmeticAnswerReward("binary").ScoreAsync(new RolloutBatch([group]), null!, default);
        Assert.Equal([1, 1, 0, 0], group.Rewards);
        Assert.Equal(0.5, metrics["rlvr/format/hash"]);
        Assert.Equal(0.25, metrics["rlvr/format/boxed"]);
        Assert.Equal(0, metrics["rlvr/format/conclusion"]);
        Assert.Equal(0.25, metrics["rlvr/format/none"]);
    }
}
