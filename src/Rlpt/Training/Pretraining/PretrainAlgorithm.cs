using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Rlpt.Data.Store;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using Rlpt.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Training.Pretraining;

/// <summary>
/// Next-token pretraining on a packed <see cref="TokenDataset"/>: AdamW, warm-up + cosine schedule, gradient clipping and
/// accumulation, periodic held-out loss. The data order is a pure function of (seed, epoch), so (epoch, index) is the
/// sampler's whole state and a resumed run sees exactly the batches an uninterrupted one would.
/// </summary>
public sealed class PretrainAlgorithm : ITrainingAlgorithm
{
    private readonly PretrainConfig config;
    private readonly TokenDataset data;
    private readonly Device device;
    private readonly AdamW optimizer;
    private readonly PackedBatchSampler sampler;
    private readonly LearningRateSchedule schedule;
    private readonly TrainingStep trainingStep;
    private Progress progress = new();

    /// <param name="initializeFrom">A model folder to continue from (e.g. the demo's control run); null initialises from the seed.</param>
    public PretrainAlgorithm(PretrainConfig config, ModelConfig modelConfig, TokenDataset data, Tokenizer tokenizer, Device device, string? initializeFrom = null)
    {
        config.Validate();
        if (data.Meta.VocabSize > modelConfig.VocabSize)
            throw new InvalidDataException($"dataset vocabulary ({data.Meta.VocabSize}) is larger than the model's ({modelConfig.VocabSize}).");
        this.config = config;
        this.data = data;
        this.device = device;
        Tokenizer = tokenizer;
        Policy = new CausalLM(modelConfig);
        if (initializeFrom is null) Policy.InitializeWeights(config.Seed);
        else using (NewDisposeScope()) ModelFolder.LoadWeights(Policy, SafeTensors.LoadFolder(initializeFrom, ScalarType.Float32), initializeFrom);
        Policy.to(device);
        optimizer = new AdamW(Policy.named_parameters(), config.AdamBeta1, config.AdamBeta2, config.AdamEpsilon, config.WeightDecay);
        sampler = new PackedBatchSampler(data.Train, config.SequenceLength, config.Seed, data.Meta.Sources.Select(s => s.Weight).ToArray());
        schedule = new LearningRateSchedule(config.LearningRate, config.ResolvedMinLearningRate, config.WarmupSteps, config.MaxSteps);
        trainingStep = new TrainingStep(Policy, optimizer, config.MaxGradNorm);
        Optimizers = new Dictionary<string, AdamW> { ["policy"] = optimizer };
    }

    public string Name => "pretrain";
    public int MaxSteps => config.MaxSteps;
    public SavePolicy Saving => config.Saving;
    public CausalLM Policy { get; }
    public Tokenizer Tokenizer { get; }
    public ITrainedModel Model => new LanguageModelFolder(Policy, Tokenizer);
    public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();
    public IReadOnlyDictionary<string, AdamW> Optimizers { get; }

    public JsonObject SaveState() => RunState.ToJson(progress with { DataEpoch = sampler.Epoch, DataIndex = sampler.Index });

    public void RestoreState(JsonObject state)
    {
        progress = RunState.FromJson<Progress>(state, "pretraining");
        sampler.Seek(progress.DataEpoch, progress.DataIndex);
    }

    public StepOutcome Step(int step, StepContext context)
    {
        var watch = Stopwatch.StartNew();
        double learningRate = schedule.At(step);
        int width = config.SequenceLength + 1;
        var microBatches = new long[config.GradientAccumulationSteps][];
        for (int micro = 0; micro < microBatches.Length; micro++)
        {
            microBatches[micro] = new long[config.BatchSize * width];
            sampler.Next(config.BatchSize, microBatches[micro]);
        }
        var (loss, gradNorm) = trainingStep.Run(microBatches, config.SequenceLength, learningRate, device);
        double seconds = watch.Elapsed.TotalSeconds;
        // The budget counts the training time of the steps kept, saved with them, so a resumed run spends only what is left.
        progress = progress with { TokensSeen = progress.TokensSeen + config.TokensPerStep, TrainingSeconds = progress.TrainingSeconds + seconds };
        int done = step + 1;
        bool last = done == config.MaxSteps || (config.MaxSeconds > 0 && progress.TrainingSeconds >= config.MaxSeconds);
        var record = new Dictionary<string, object>
        {
            ["loss"] = loss,
            ["lr"] = learningRate,
            ["grad_norm"] = gradNorm,
            ["tokens"] = progress.TokensSeen,
            ["tokens_per_second"] = config.TokensPerStep / seconds,
            ["step_time"] = seconds,
            ["epoch"] = sampler.Epoch + (double)sampler.Index / sampler.WindowCount,
        };
        if (last || (config.EvalEvery > 0 && done % config.EvalEvery == 0))
        {
            double validation = ValidationLoss();
            progress = progress with { BestValidationLoss = Math.Min(validation, progress.BestValidationLoss ?? double.MaxValue) };
            record["val_loss"] = validation;
            record["val_perplexity"] = Math.Exp(validation);
        }
        return new StepOutcome(record, loss, last);
    }

    /// <summary>Mean next-token loss over the first eval_batches × batch_size windows of the held-out split.</summary>
    public double ValidationLoss()
    {
        using var guard = no_grad();
        Policy.eval();
        try
        {
            var heldOut = data.Validation.Tokens;
            long windows = SequentialWindows.Count(heldOut, config.SequenceLength, (long)config.EvalBatches * config.BatchSize);
            double total = 0;
            for (long start = 0; start < windows; start += config.BatchSize)
            {
                int rows = (int)Math.Min(config.BatchSize, windows - start);
                var buffer = SequentialWindows.Read(heldOut, start, rows, config.SequenceLength);
                using var scope = NewDisposeScope();
                total += TrainingStep.NextTokenLoss(Policy, buffer, config.SequenceLength, device).item<float>() * rows;
            }
            return total / windows;
        }
        finally
        {
            Policy.train();
        }
    }

    public void Dispose()
    {
        optimizer.Dispose();
        Policy.Dispose();
    }

    /// <summary>The resume state besides weights and moments.</summary>
    private sealed record Progress
    {
        [JsonPropertyName("data_epoch")] public int DataEpoch { get; init; }
        [JsonPropertyName("data_index")] public int DataIndex { get; init; }
        [JsonPropertyName("tokens_seen")] public long TokensSeen { get; init; }
        [JsonPropertyName("best_val_loss")] public double? BestValidationLoss { get; init; }
        [JsonPropertyName("training_seconds")] public double TrainingSeconds { get; init; }
    }
}
