using System.Diagnostics;
using System.Text.Json.Nodes;
using Rlpt.Decision.Models;
using Rlpt.Training;
using Rlpt.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.InContext.Dpt;

/// <summary>
/// Decision-Pretrained Transformer training (Lee et al. 2023): minimise E Σ_j −log M(a* | s_q, D_j) over every prefix
/// D_j of each in-context dataset (j = 0 … n, the empty prefix included), i.e. cross-entropy at every position of one
/// causal forward. Epochs are seeded shuffles, so the step is the whole data position.
/// </summary>
public sealed class DptAlgorithm : ITrainingAlgorithm
{
    private readonly DptConfig config;
    private readonly TransitionContexts train;
    private readonly TransitionContexts? heldOut;
    private readonly Device device;
    private readonly AdamW optimizer;
    private readonly LearningRateSchedule schedule;

    public DptAlgorithm(DptConfig config, TransitionContexts train, TransitionContexts? heldOut, Device device)
    {
        config.Validate();
        if (heldOut is not null && (heldOut.Family != train.Family || heldOut.ContextLength != train.ContextLength))
            throw new ArgumentException("the held-out contexts come from another task family or context length than the training ones.");
        this.config = config;
        this.train = train;
        this.heldOut = heldOut;
        this.device = device;
        Policy = new TransitionTransformer(ModelConfigFor(config, train));
        Policy.InitializeWeights(config.Seed);
        Policy.to(device);
        optimizer = new AdamW(Policy.named_parameters(), weightDecay: config.WeightDecay);
        schedule = new LearningRateSchedule(config.LearningRate, config.LearningRate / 10, config.WarmupSteps, config.MaxSteps);
        Optimizers = new Dictionary<string, AdamW> { ["policy"] = optimizer };
    }

    public static TransitionTransformerConfig ModelConfigFor(DptConfig config, TransitionContexts data) => new()
    {
        InputSize = DptTokens.InputSize(data.Family.ObservationSize, data.Family.ActionCount),
        ActionCount = data.Family.ActionCount,
        HiddenSize = config.HiddenSize,
        IntermediateSize = 4 * config.HiddenSize,
        NumHiddenLayers = config.NumHiddenLayers,
        NumAttentionHeads = config.NumAttentionHeads,
        MaxPositionEmbeddings = data.ContextLength + 1,
        Method = "dpt",
        Environment = data.Family,
    };

    public string Name => "dpt";
    public int MaxSteps => config.MaxSteps;
    public SavePolicy Saving => config.Saving;
    public TransitionTransformer Policy { get; }
    public ITrainedModel Model => new TransitionModelFolder(Policy);
    public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();
    public IReadOnlyDictionary<string, AdamW> Optimizers { get; }

    public JsonObject SaveState() => [];

    public void RestoreState(JsonObject state) { }

    public StepOutcome Step(int step, StepContext context)
    {
        var clock = Stopwatch.StartNew();
        var samples = EpochOrder.Batch(train.Count, config.BatchSize, config.Seed, step).ToArray();
        double learningRate = schedule.At(step);
        double loss, accuracy, lastAccuracy, gradNorm;
        using (var scope = NewDisposeScope())
        {
            var (lossTensor, correct) = PrefixLoss(Policy, train, samples, device);
            lossTensor.backward();
            loss = lossTensor.item<float>();
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
            ["epoch"] = (double)done * config.BatchSize / train.Count,
            ["samples_per_second"] = samples.Length / seconds,
            ["step_time"] = seconds,
        };
        if (heldOut is not null && (done == config.MaxSteps || (config.EvalEvery > 0 && done % config.EvalEvery == 0)))
        {
            var (heldOutLoss, heldOutAccuracy) = Evaluate(Policy, heldOut, config.BatchSize, device);
            record["eval_loss"] = heldOutLoss;
            record["eval_accuracy"] = heldOutAccuracy;
        }
        return new StepOutcome(record, loss);
    }

    /// <summary>Mean cross-entropy over samples × prefixes, and which predictions [rows, n + 1] were the optimal action.</summary>
    public static (Tensor Loss, Tensor Correct) PrefixLoss(TransitionTransformer model, TransitionContexts data, IReadOnlyList<int> samples, Device device)
    {
        var tokens = DptTokens.Build(data, samples, data.ContextLength, device);
        var logits = model.Forward(tokens);
        long positions = logits.shape[1];
        var labels = tensor(samples.Select(s => (long)data.OptimalActions[s]).ToArray(), device: device).unsqueeze(1).expand(-1, positions);
        var loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), labels.reshape(-1));
        using var guard = no_grad();
        return (loss, logits.argmax(-1).eq(labels).to(ScalarType.Float32));
    }

    /// <summary>Held-out loss and prefix-averaged accuracy over every sample of <paramref name="data"/>.</summary>
    public static (double Loss, double Accuracy) Evaluate(TransitionTransformer model, TransitionContexts data, int batchSize, Device device)
    {
        using var guard = no_grad();
        bool training = model.training;
        model.eval();
        try
        {
            double loss = 0, accuracy = 0;
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var samples = Enumerable.Range(start, Math.Min(batchSize, data.Count - start)).ToArray();
                var (batchLoss, correct) = PrefixLoss(model, data, samples, device);
                loss += batchLoss.item<float>() * samples.Length;
                accuracy += correct.mean().item<float>() * samples.Length;
            }
            return (loss / data.Count, accuracy / data.Count);
        }
        finally
        {
            if (training) model.train();
        }
    }

    public void Dispose()
    {
        optimizer.Dispose();
        Policy.Dispose();
    }
}
