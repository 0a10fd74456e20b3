using System.Diagnostics;
using Rlpt.Data;
using Rlpt.Data.Store;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Telemetry;
using Rlpt.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Training;

/// <summary>What one optimizer step reports (also written to metrics.jsonl).</summary>
public sealed record PretrainStep(int Step, int MaxSteps, double Loss, double LearningRate, double GradNorm, double TokensPerSecond, double? ValidationLoss);

public sealed record PretrainResult(int Steps, double FinalLoss, double? ValidationLoss, bool Interrupted, string ModelDirectory);

/// <summary>
/// Next-token pretraining on a packed <see cref="TokenDataset"/>: AdamW, warm-up + cosine schedule, gradient
/// clipping and accumulation, periodic held-out loss, and checkpoints from which <c>resume</c> continues exactly
/// (same batches, same optimizer moments, same schedule position).
/// </summary>
public sealed class Pretrainer(PretrainConfig config, ModelConfig modelConfig, TokenDataset data, Tokenizer tokenizer, string runDirectory, Device device)
{
    public const string ModelFolderName = "model";

    public Action<PretrainStep>? OnStep { get; init; }
    /// <summary>A model folder to continue from (e.g. the control run of the demo); null initialises from the seed.</summary>
    public string? InitializeFrom { get; init; }
    public Action<string>? Log { get; init; }

    public PretrainResult Run(bool resume, CancellationToken cancellation = default)
    {
        config.Validate();
        if (data.Meta.VocabSize > modelConfig.VocabSize)
            throw new InvalidDataException($"dataset vocabulary ({data.Meta.VocabSize}) is larger than the model's ({modelConfig.VocabSize}).");
        var latest = CheckRunDirectory(runDirectory, resume);

        using var model = new CausalLM(modelConfig);
        if (InitializeFrom is null) model.InitializeWeights(config.Seed);
        else using (NewDisposeScope()) ModelFolder.LoadWeights(model, SafeTensors.LoadFolder(InitializeFrom, ScalarType.Float32), InitializeFrom);
        model.to(device);
        model.train();
        using var optimizer = new AdamW(model.named_parameters(), config.AdamBeta1, config.AdamBeta2, config.AdamEpsilon, config.WeightDecay);
        var state = new TrainerState { Seed = config.Seed };
        if (resume)
        {
            state = Checkpoints.Restore(latest!, model, optimizer);
            Log?.Invoke($"resumed from {latest} at step {state.GlobalStep}");
        }
        var sampler = new PackedBatchSampler(data.Train, config.SequenceLength, config.Seed, data.Meta.Sources.Select(s => s.Weight).ToArray(), state.DataEpoch, state.DataIndex);
        var schedule = new LearningRateSchedule(config.LearningRate, config.ResolvedMinLearningRate, config.WarmupSteps, config.MaxSteps);
        using var metrics = new MetricsWriter(runDirectory, append: resume);

        var trainingStep = new TrainingStep(model, optimizer, config.MaxGradNorm);
        int width = config.SequenceLength + 1;
        double lastLoss = double.NaN;
        double? lastValidation = null;
        bool interrupted = false;
        var budget = Stopwatch.StartNew();
        while (state.GlobalStep < config.MaxSteps)
        {
            if (cancellation.IsCancellationRequested) { interrupted = true; break; }
            var watch = Stopwatch.StartNew();
            int step = state.GlobalStep;
            double learningRate = schedule.At(step);
            var microBatches = new long[config.GradientAccumulationSteps][];
            for (int micro = 0; micro < microBatches.Length; micro++)
            {
                microBatches[micro] = new long[config.BatchSize * width];
                sampler.Next(config.BatchSize, microBatches[micro]);
            }
            var (loss, gradNorm) = trainingStep.Run(microBatches, config.SequenceLength, learningRate, device);
            lastLoss = loss;
            state = state with
            {
                GlobalStep = step + 1,
                DataEpoch = sampler.Epoch,
                DataIndex = sampler.Index,
                TokensSeen = state.TokensSeen + config.TokensPerStep,
            };
            double seconds = watch.Elapsed.TotalSeconds;
            double? validation = null;
            bool last = state.GlobalStep == config.MaxSteps || (config.MaxSeconds > 0 && budget.Elapsed.TotalSeconds >= config.MaxSeconds);
            if (last || (config.EvalEvery > 0 && state.GlobalStep % config.EvalEvery == 0))
            {
                validation = lastValidation = ValidationLoss(model);
                state = state with { BestValidationLoss = Math.Min(validation.Value, state.BestValidationLoss ?? double.MaxValue) };
            }
            var record = new Dictionary<string, object>
            {
                ["step"] = state.GlobalStep,
                ["loss"] = lastLoss,
                ["lr"] = learningRate,
                ["grad_norm"] = gradNorm,
                ["tokens"] = state.TokensSeen,
                ["tokens_per_second"] = config.TokensPerStep / seconds,
                ["step_time"] = seconds,
                ["epoch"] = state.DataEpoch + (double)state.DataIndex / sampler.WindowCount,
            };
            if (validation is double v) { record["val_loss"] = v; record["val_perplexity"] = Math.Exp(v); }
            metrics.Write(record);
            OnStep?.Invoke(new PretrainStep(state.GlobalStep, config.MaxSteps, lastLoss, learningRate, gradNorm, config.TokensPerStep / seconds, validation));
            if (!double.IsFinite(lastLoss))
                throw new InvalidOperationException($"loss became {lastLoss} at step {state.GlobalStep}: lower the learning rate (last checkpoint kept).");
            if (last) break;
            if (config.SaveEvery > 0 && state.GlobalStep % config.SaveEvery == 0)
                Checkpoints.Save(runDirectory, model, tokenizer, optimizer, state, config.SaveTotalLimit);
        }

        if (state.GlobalStep > 0) Checkpoints.Save(runDirectory, model, tokenizer, optimizer, state, config.SaveTotalLimit);
        var modelDirectory = Path.Combine(runDirectory, ModelFolderName);
        if (!interrupted) ModelFolder.Save(modelDirectory, model, tokenizer);
        return new PretrainResult(state.GlobalStep, lastLoss, lastValidation, interrupted, modelDirectory);
    }

    /// <summary>Refuses to overwrite a run, or to resume one that has no checkpoint; returns the checkpoint to resume.</summary>
    public static string? CheckRunDirectory(string runDirectory, bool resume)
    {
        var latest = Checkpoints.Latest(runDirectory);
        if (resume && latest is null) throw new InvalidOperationException($"--resume: no checkpoint in {Path.Combine(runDirectory, Checkpoints.Folder)}.");
        if (!resume && latest is not null) throw new InvalidOperationException($"{runDirectory} already holds checkpoints: pass --resume to continue, or choose another --out.");
        return latest;
    }

    /// <summary>Mean next-token loss over the first eval_batches × batch_size windows of the held-out split.</summary>
    public double ValidationLoss(CausalLM model)
    {
        using var guard = no_grad();
        model.eval();
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
                total += TrainingStep.NextTokenLoss(model, buffer, config.SequenceLength, device).item<float>() * rows;
            }
            return total / windows;
        }
        finally
        {
            model.train();
        }
    }
}
