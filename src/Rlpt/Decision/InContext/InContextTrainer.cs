using System.Diagnostics;
using System.Text.Json.Nodes;
using Rlpt.Decision.Models;
using Rlpt.Training;
using Rlpt.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.InContext;

/// <summary>
/// What DPT and AD share: a <see cref="TransitionTransformer"/> trained by cross-entropy on target actions at every
/// position of a batch of sequences, with AdamW, warm-up + cosine decay and clipping, on the one run loop. A method
/// supplies its batches (a pure function of the step, so the step is the whole data position) and its held-out set.
/// </summary>
public abstract class InContextTrainer : ITrainingAlgorithm
{
    private readonly InContextTrainingConfig config;
    private readonly AdamW optimizer;
    private readonly LearningRateSchedule schedule;

    protected InContextTrainer(InContextTrainingConfig config, TransitionTransformerConfig modelConfig, Device device)
    {
        config.Validate();
        this.config = config;
        Device = device;
        Policy = new TransitionTransformer(modelConfig);
        Policy.InitializeWeights(config.Seed);
        Policy.to(device);
        optimizer = new AdamW(Policy.named_parameters(), weightDecay: config.WeightDecay);
        schedule = new LearningRateSchedule(config.LearningRate, config.LearningRate / 10, config.WarmupSteps, config.MaxSteps);
        Optimizers = new Dictionary<string, AdamW> { ["policy"] = optimizer };
    }

    /// <summary>The model shape a config asks for, over tokens of <paramref name="inputSize"/> floats and sequences of up to <paramref name="positions"/>.</summary>
    protected static TransitionTransformerConfig ModelShape(InContextTrainingConfig config, Environments.TaskFamily family, int inputSize, int positions) => new()
    {
        InputSize = inputSize,
        ActionCount = family.ActionCount,
        HiddenSize = config.HiddenSize,
        IntermediateSize = 4 * config.HiddenSize,
        NumHiddenLayers = config.NumHiddenLayers,
        NumAttentionHeads = config.NumAttentionHeads,
        MaxPositionEmbeddings = positions,
        Method = config.Method,
        Environment = family,
    };

    protected Device Device { get; }
    public abstract string Name { get; }
    public int MaxSteps => config.MaxSteps;
    public SavePolicy Saving => config.Saving;
    public TransitionTransformer Policy { get; }
    public ITrainedModel Model => new TransitionModelFolder(Policy);
    public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();
    public IReadOnlyDictionary<string, AdamW> Optimizers { get; }

    /// <summary>Passes over the training data after <paramref name="steps"/> steps.</summary>
    protected abstract double Epoch(int steps);

    /// <summary>The mean loss of step <paramref name="step"/>'s batch and which predictions [rows, positions] hit the target.</summary>
    protected abstract (Tensor Loss, Tensor Correct) TrainingLoss(int step);

    /// <summary>Held-out loss and accuracy, or null when the method has no held-out set.</summary>
    protected abstract (double Loss, double Accuracy)? HeldOut();

    public JsonObject SaveState() => [];

    public void RestoreState(JsonObject state) { }

    public StepOutcome Step(int step, StepContext context)
    {
        var clock = Stopwatch.StartNew();
        double learningRate = schedule.At(step);
        double loss, accuracy, lastAccuracy, gradNorm;
        long rows;
        using (var scope = NewDisposeScope())
        {
            var (lossTensor, correct) = TrainingLoss(step);
            lossTensor.backward();
            loss = lossTensor.item<float>();
            rows = correct.shape[0];
            accuracy = correct.mean().item<float>();
            lastAccuracy = correct.select(1, -1).mean().item<float>();
            gradNorm = GradientClipping.ClipOrMeasure(optimizer.Parameters, config.MaxGradNorm);
            optimizer.StepWith(learningRate);
            optimizer.ZeroGrad();
        }
        int done = step + 1;
        double seconds = clock.Elapsed.TotalSeconds;
        var record = new Dictionary<string, object>
        {
            ["loss"] = loss,
            ["accuracy"] = accuracy,
            ["accuracy_full_context"] = lastAccuracy,
            ["lr"] = learningRate,
            ["grad_norm"] = gradNorm,
            ["epoch"] = Epoch(done),
            ["samples_per_second"] = rows / seconds,
            ["step_time"] = seconds,
        };
        if (done == config.MaxSteps || (config.EvalEvery > 0 && done % config.EvalEvery == 0))
        {
            using var guard = no_grad();
            Policy.eval();
            try
            {
                if (HeldOut() is var (heldOutLoss, heldOutAccuracy))
                {
                    record["eval_loss"] = heldOutLoss;
                    record["eval_accuracy"] = heldOutAccuracy;
                }
            }
            finally
            {
                Policy.train();
            }
        }
        return new StepOutcome(record, loss);
    }

    /// <summary>Mean cross-entropy of targets [rows, positions] under logits [rows, positions, actions], and the hits.</summary>
    public static (Tensor Loss, Tensor Correct) ActionLoss(Tensor logits, Tensor targets)
    {
        var loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1));
        using var guard = no_grad();
        return (loss, logits.argmax(-1).eq(targets).to(ScalarType.Float32));
    }

    /// <summary>Loss and accuracy averaged over batches of a held-out set (sample-weighted).</summary>
    protected static (double Loss, double Accuracy) Average(int count, int batchSize, Func<int[], (Tensor Loss, Tensor Correct)> batchLoss)
    {
        double loss = 0, accuracy = 0;
        for (int start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var samples = Enumerable.Range(start, Math.Min(batchSize, count - start)).ToArray();
            var (batch, correct) = batchLoss(samples);
            loss += batch.item<float>() * samples.Length;
            accuracy += correct.mean().item<float>() * samples.Length;
        }
        return (loss / count, accuracy / count);
    }

    public virtual void Dispose()
    {
        optimizer.Dispose();
        Policy.Dispose();
    }
}
