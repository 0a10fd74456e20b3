using System.Diagnostics;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Telemetry;
using Rlpt.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Training.Sft;

public sealed record SftStep(int Step, int MaxSteps, double Loss, double TokenAccuracy);

public sealed record SftResult(int Steps, double FinalLoss, bool Interrupted, string ModelDirectory);

/// <summary>
/// Completion-only SFT: the loss covers completion tokens only (prompt and padding are ignored), over epochs of a
/// seeded shuffle, with warm-up + cosine decay and checkpoints that resume exactly (the order of an epoch is a
/// function of seed and epoch, so the step number is the whole data position).
/// </summary>
public sealed class SftTrainer(SftConfig config, CausalLM model, Tokenizer tokenizer, IReadOnlyList<SftExample> examples, string runDirectory, Device device)
{
    public const string ModelFolderName = "model";
    private const long Ignore = -100;

    public Action<SftStep>? OnStep { get; init; }
    public Action<string>? Log { get; init; }

    public int StepsPerEpoch => (examples.Count + config.BatchSize - 1) / config.BatchSize;

    public static int TotalSteps(int exampleCount, SftConfig config) => (exampleCount + config.BatchSize - 1) / config.BatchSize * config.Epochs;

    public SftResult Run(bool resume, CancellationToken cancellation = default)
    {
        config.Validate();
        if (examples.Count == 0) throw new InvalidDataException("no SFT examples.");
        var latest = Pretrainer.CheckRunDirectory(runDirectory, resume);
        var encoded = examples.Select(Encode).ToArray();
        int maxSteps = TotalSteps(examples.Count, config);
        model.to(device);
        model.train();
        using var optimizer = new AdamW(model.named_parameters(), weightDecay: config.WeightDecay);
        var state = new TrainerState { Seed = config.Seed };
        if (resume)
        {
            state = Checkpoints.Restore(latest!, model, optimizer);
            Log?.Invoke($"resumed from {latest} at step {state.GlobalStep}");
        }
        var schedule = new LearningRateSchedule(config.LearningRate, config.LearningRate / 10, config.WarmupSteps, maxSteps);
        Directory.CreateDirectory(runDirectory);
        using var metrics = new MetricsWriter(runDirectory, append: resume);
        double lastLoss = double.NaN;
        bool interrupted = false;
        while (state.GlobalStep < maxSteps)
        {
            if (cancellation.IsCancellationRequested) { interrupted = true; break; }
            var clock = Stopwatch.StartNew();
            int step = state.GlobalStep;
            int epoch = step / StepsPerEpoch;
            var order = EpochOrder(epoch);
            var batch = order.Skip(step % StepsPerEpoch * config.BatchSize).Take(config.BatchSize).Select(i => encoded[i]).ToArray();
            double learningRate = schedule.At(step);
            double accuracy, gradNorm;
            using (var scope = NewDisposeScope())
            {
                var (inputs, labels) = Collate(batch);
                var logits = model.Forward(inputs);
                var flatLogits = logits.reshape(-1, logits.shape[^1]);
                var flatLabels = labels.reshape(-1);
                var loss = nn.functional.cross_entropy(flatLogits, flatLabels, ignore_index: Ignore);
                loss.backward();
                lastLoss = loss.item<float>();
                using (no_grad())
                {
                    var counted = flatLabels.ne(Ignore);
                    accuracy = flatLogits.argmax(-1).eq(flatLabels).logical_and(counted).sum().item<long>() / (double)Math.Max(1, counted.sum().item<long>());
                }
                gradNorm = nn.utils.clip_grad_norm_(optimizer.Parameters, config.MaxGradNorm);
                optimizer.StepWith(learningRate);
                optimizer.ZeroGrad();
            }
            state = state with { GlobalStep = step + 1, DataEpoch = (step + 1) / StepsPerEpoch, DataIndex = (step + 1) % StepsPerEpoch };
            metrics.Write(new Dictionary<string, object>
            {
                ["step"] = state.GlobalStep, ["loss"] = lastLoss, ["mean_token_accuracy"] = accuracy, ["lr"] = learningRate,
                ["grad_norm"] = gradNorm, ["epoch"] = (double)state.GlobalStep / StepsPerEpoch, ["step_time"] = clock.Elapsed.TotalSeconds,
            });
            OnStep?.Invoke(new SftStep(state.GlobalStep, maxSteps, lastLoss, accuracy));
            if (!double.IsFinite(lastLoss)) throw new InvalidOperationException($"SFT loss became {lastLoss} at step {state.GlobalStep}: lower the learning rate.");
            if (config.SaveEvery > 0 && state.GlobalStep % config.SaveEvery == 0 && state.GlobalStep < maxSteps)
                Checkpoints.Save(runDirectory, model, tokenizer, optimizer, state, config.SaveTotalLimit);
        }
        if (state.GlobalStep > 0) Checkpoints.Save(runDirectory, model, tokenizer, optimizer, state, config.SaveTotalLimit);
        var modelDirectory = Path.Combine(runDirectory, ModelFolderName);
        if (!interrupted) ModelFolder.Save(modelDirectory, model, tokenizer);
        return new SftResult(state.GlobalStep, lastLoss, interrupted, modelDirectory);
    }

    private int[] EpochOrder(int epoch)
    {
        var order = Enumerable.Range(0, examples.Count).ToArray();
        new Random(unchecked(config.Seed * 1_000_003 + epoch) & int.MaxValue).Shuffle(order);
        return order;
    }

    /// <summary>Prompt + completion ids, cut from the left of the prompt to max_length, and where the completion starts.</summary>
    private (int[] Ids, int CompletionStart) Encode(SftExample example)
    {
        var prompt = tokenizer.Encode(example.Prompt);
        var completion = tokenizer.Encode(example.Completion);
        if (completion.Count >= config.MaxLength)
            throw new InvalidDataException($"an SFT completion of {completion.Count} tokens does not fit max_length {config.MaxLength}.");
        int keep = Math.Min(prompt.Count, config.MaxLength - completion.Count);
        return ([.. prompt.Skip(prompt.Count - keep), .. completion], keep);
    }

    /// <summary>Right-padded inputs and next-token labels that are −100 outside completions.</summary>
    private (Tensor Inputs, Tensor Labels) Collate(IReadOnlyList<(int[] Ids, int CompletionStart)> batch)
    {
        int length = batch.Max(b => b.Ids.Length) - 1;
        var inputs = new long[batch.Count * length];
        var labels = new long[batch.Count * length];
        Array.Fill(inputs, tokenizer.PadId);
        Array.Fill(labels, Ignore);
        for (int r = 0; r < batch.Count; r++)
        {
            var (ids, start) = batch[r];
            for (int t = 0; t < ids.Length - 1; t++)
            {
                inputs[r * length + t] = ids[t];
                if (t + 1 >= start) labels[r * length + t] = ids[t + 1];
            }
        }
        return (tensor(inputs, [batch.Count, length], device: device), tensor(labels, [batch.Count, length], device: device));
    }
}
