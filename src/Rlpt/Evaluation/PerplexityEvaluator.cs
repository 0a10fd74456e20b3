using Rlpt.Data.Store;
using Rlpt.Modeling;
using Rlpt.Training;
using Rlpt.Training.Pretraining;
using static TorchSharp.torch;

namespace Rlpt.Evaluation;

/// <summary>
/// Held-out next-token loss and perplexity over the first windows of a split's token stream (the same windows
/// the pretrainer validates on). Every window holds sequence_length targets, so the mean of window losses is the
/// per-token mean and the bootstrap over windows gives its interval.
/// </summary>
public static class PerplexityEvaluator
{
    public static PerplexityResult Evaluate(CausalLM model, DatasetSplit split, int sequenceLength, int maxWindows, int batchSize = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWindows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (sequenceLength > model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"sequence length {sequenceLength} exceeds the model's context of {model.Config.MaxPositionEmbeddings}.", nameof(sequenceLength));
        model.eval();
        var device = model.parameters().First().device;
        int windows = (int)SequentialWindows.Count(split.Tokens, sequenceLength, maxWindows);
        var losses = new List<double>(windows);
        using var inference = inference_mode();
        for (int start = 0; start < windows; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int rows = Math.Min(batchSize, windows - start);
            var batch = SequentialWindows.Read(split.Tokens, start, rows, sequenceLength);
            var perWindow = TrainingStep.NextTokenLosses(model, batch, sequenceLength, device);
            losses.AddRange(perWindow.to(ScalarType.Float64).cpu().data<double>().ToArray());
        }
        var loss = Estimate.Of(losses);
        return new PerplexityResult(sequenceLength, windows, (long)windows * sequenceLength, loss, loss.Map(Math.Exp), losses);
    }
}
