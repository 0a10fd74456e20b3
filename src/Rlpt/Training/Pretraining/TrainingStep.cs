using Rlpt.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Training.Pretraining;

/// <summary>
/// One optimizer step of next-token training: forward and backward over each micro-batch (losses averaged over
/// micro-batches), gradient clipping, AdamW update. Shared by the pretrainer and the training benchmark so the
/// benchmark measures exactly what training runs.
/// </summary>
public sealed class TrainingStep(CausalLM model, AdamW optimizer, double maxGradNorm)
{
    /// <param name="microBatches">Each [rows, sequence_length + 1] token windows, row-major.</param>
    public (double Loss, double GradNorm) Run(IReadOnlyList<long[]> microBatches, int sequenceLength, double learningRate, Device device)
    {
        using var scope = NewDisposeScope();
        double lossSum = 0;
        foreach (var windows in microBatches)
        {
            var loss = NextTokenLoss(model, windows, sequenceLength, device) / microBatches.Count;
            loss.backward();
            lossSum += loss.item<float>();
        }
        double gradNorm = GradientClipping.ClipOrMeasure(optimizer.Parameters, maxGradNorm);
        optimizer.StepWith(learningRate);
        optimizer.ZeroGrad();
        return (lossSum, gradNorm);
    }

    /// <summary>Mean cross-entropy of predicting token t+1 from tokens ≤ t over [rows, sequence_length + 1] windows.</summary>
    public static Tensor NextTokenLoss(CausalLM model, long[] windows, int sequenceLength, Device device)
    {
        // Every window has sequence_length targets, so the mean of the window means is the mean over all tokens.
        using var perWindow = NextTokenLosses(model, windows, sequenceLength, device);
        return perWindow.mean();
    }

    /// <summary>Mean next-token cross-entropy of each window: [rows], for statistics over windows.</summary>
    public static Tensor NextTokenLosses(CausalLM model, long[] windows, int sequenceLength, Device device)
    {
        int width = sequenceLength + 1;
        using var all = tensor(windows, [windows.Length / width, width], device: device);
        using var inputs = all.narrow(1, 0, sequenceLength);
        using var targets = all.narrow(1, 1, sequenceLength);
        using var logits = model.Forward(inputs);
        using var tokenLosses = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1), reduction: nn.Reduction.None);
        using var byWindow = tokenLosses.reshape(all.shape[0], sequenceLength);
        return byWindow.mean([1]);
    }
}
