using Rlpt.Objectives.Rlpt;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Objectives.Rlpt;

public sealed class RlptSftDataTests(RlptTestCorpus corpus) : IClassFixture<RlptTestCorpus>
{
    private static string? Prediction(string completion)
    {
        int start = completion.IndexOf(SpecialTokens.StartOfPrediction, StringComparison.Ordinal);
        int end = completion.IndexOf(SpecialTokens.EndOfPrediction, StringComparison.Ordinal);
        return start < 0 || end < start ? null : completion[(start + SpecialTokens.StartOfPrediction.Length)..end];
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void CompletionFollowsTheAnswerFormatAndItsPredictionIsTheTarget(bool openThink)
    {
        var templates = new RlptPromptTemplates { OpenThink = openThink };
        var sampler = new RlptTaskSampler(corpus.Train, corpus.Tokenizer, corpus.Data.Meta.Sources, new RlptTaskOptions { Prompts = templates });
        foreach (var task in sampler.Next(20))
        {
            var example = RlptSftData.FromTask(task, templates);
            Assert.Equal(task.Prompt, example.Prompt);
            Assert.Equal(task.Reference, Prediction(example.Completion));
            Assert.EndsWith($"{SpecialTokens.EndOfPrediction}{SpecialTokens.ImEnd}", example.Completion);
            Assert.Contains($"\n{SpecialTokens.ThinkEnd}\n{SpecialTokens.StartOfPrediction}", example.Completion);
            // Exactly one <think> across prompt and completion: the prompt opens it or the completion does.
            Assert.Equal(openThink, example.Prompt.EndsWith($"{SpecialTokens.ThinkStart}\n", StringComparison.Ordinal));
            Assert.Equal(!openThink, example.Completion.StartsWith($"{SpecialTokens.ThinkStart}\n", StringComparison.Ordinal));
            // The tags must reach the model as single special tokens.
            var ids = corpus.Tokenizer.Encode(example.Completion);
            Assert.Contains(corpus.Tokenizer.TokenToId(SpecialTokens.StartOfPrediction)!.Value, ids);
            Assert.Equal(corpus.Tokenizer.TokenToId(SpecialTokens.ImEnd), ids[^1]);
        }
    }

    [Fact]
    public void RationaleDependsOnTheTaskKind()
    {
        Assert.Contains(RlptSftData.AsrRationale, RlptSftData.Completion(RlptTaskKind.Asr, "x", true));
        Assert.Contains(RlptSftData.MsrRationale, RlptSftData.Completion(RlptTaskKind.Msr, "x", true));
    }
}
