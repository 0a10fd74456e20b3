using Rlpt.Evaluation;
using Rlpt.Training;
using Rlpt.Training.Pretraining;
using static TorchSharp.torch;

namespace Rlpt.Tests.Evaluation;

public sealed class PerplexityEvaluatorTests(EvaluationFixture fixture) : IClassFixture<EvaluationFixture>
{
    [Fact]
    public void PerplexityIsExpOfTheMeanLossOverTheFirstWindows()
    {
        var split = fixture.Corpus.Data.Validation;
        var result = PerplexityEvaluator.Evaluate(fixture.Model, split, sequenceLength: 16, maxWindows: 7, batchSize: 3);

        Assert.Equal(7, result.Windows);
        Assert.Equal(7, result.WindowLosses.Count);
        Assert.Equal(7 * 16, result.Tokens);
        Assert.Equal(Math.Exp(result.Loss.Mean), result.Perplexity.Mean, 9);
        Assert.Equal(Math.Exp(result.Loss.Low), result.Perplexity.Low, 9);
        Assert.InRange(result.Loss.Mean, result.Loss.Low, result.Loss.High);

        // The same windows scored in one batch by the training loss give the same mean.
        using var scope = NewDisposeScope();
        var windows = SequentialWindows.Read(split.Tokens, 0, 7, 16);
        double trainingLoss = TrainingStep.NextTokenLoss(fixture.Model, windows, 16, CPU).item<float>();
        Assert.Equal(trainingLoss, result.Loss.Mean, 4);
    }

    [Fact]
    public void ARandomModelIsNearlyUniformOverItsVocabulary()
    {
        var result = PerplexityEvaluator.Evaluate(fixture.Model, fixture.Corpus.Data.Validation, sequenceLength: 16, maxWindows: 5);
        double vocabulary = fixture.Corpus.Tokenizer.VocabSize;
        Assert.InRange(result.Perplexity.Mean, 0.8 * vocabulary, 1.25 * vocabulary);
    }

    [Fact]
    public void WindowsStopAtTheEndOfTheSplit()
    {
        var split = fixture.Corpus.Data.Validation;
        var result = PerplexityEvaluator.Evaluate(fixture.Model, split, sequenceLength: 32, maxWindows: 1_000_000);
        Assert.Equal((split.Tokens.Count - 1) / 32, result.Windows);
    }
}
