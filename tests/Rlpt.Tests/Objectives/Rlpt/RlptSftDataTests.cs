using Rlpt.Objectives.Rlpt;
using Rlpt.Rewards;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Objectives.Rlpt;

public sealed class RlptSftDataTests(RlptTestCorpus corpus) : IClassFixture<RlptTestCorpus>
{
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
            // The rewards' own extractor must read back exactly the target.
            Assert.Equal(task.Reference, PredictionExtractor.Extract(example.Completion));
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
