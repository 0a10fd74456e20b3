using System.Diagnostics;
using System.Text.Json.Nodes;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using Rlpt.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Training.Sft;

/// <summary>
/// Completion-only SFT: the loss covers completion tokens only (prompt and padding are ignored), over epochs of a
/// seeded shuffle, with warm-up + cosine decay. The order of an epoch is a function of seed and epoch, so the step
/// number is the whole data position and the algorithm has no further resume state.
/// </summary>
public sealed class SftAlgorithm : ITrainingAlgorithm
{
    private const long Ignore = -100;
    private readonly SftConfig config;
    private readonly IReadOnlyList<SftExample> examples;
    private readonly Device device;
    private readonly (int[] Ids, int CompletionStart)[] encoded;
    private readonly AdamW optimizer;
    private readonly LearningRateSchedule schedule;

    /// <param name="model">The model to fine-tune; the caller keeps ownership.</param>
    public SftAlgorithm(SftConfig config, CausalLM model, Tokenizer tokenizer, IReadOnlyList<SftExample> examples, Device device)
    {
        config.Validate();
        if (examples.Count == 0) throw new InvalidDataException("no SFT examples.");
        this.config = config;
        this.examples = examples;
        this.device = device;
        Policy = model;
        Tokenizer = tokenizer;
        encoded = examples.Select(Encode).ToArray();
        MaxSteps = TotalSteps(examples.Count, config);
        model.to(device);
        optimizer = new AdamW(model.named_parameters(), weightDecay: config.WeightDecay);
        schedule = new LearningRateSchedule(config.LearningRate, config.LearningRate / 10, config.WarmupSteps, MaxSteps);
        Optimizers = new Dictionary<string, AdamW> { ["policy"] = optimizer };
    }

    public string Name => "sft";
    public int MaxSteps { get; }
    public SavePolicy Saving => config.Saving;
    public CausalLM Policy { get; }
    public Tokenizer Tokenizer { get; }
    public ITrainedModel Model => new LanguageModelFolder(Policy, Tokenizer);
    public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();
    public IReadOnlyDictionary<string, AdamW> Optimizers { get; }

    public int StepsPerEpoch => (examples.Count + config.BatchSize - 1) / config.BatchSize;

    public static int TotalSteps(int exampleCount, SftConfig config) => (exampleCount + config.BatchSize - 1) / config.BatchSize * config.Epochs;

    public JsonObject SaveState() => [];

    public void RestoreState(JsonObject state) { }

    public StepOutcome Step(int step, StepContext context)
    {
        var clock = Stopwatch.StartNew();
        var batch = EpochOrder.Batch(examples.Count, config.BatchSize, config.Seed, step).Select(i => encoded[i]).ToArray();
        double learningRate = schedule.At(step);
        double loss, accuracy, gradNorm;
        using (var scope = NewDisposeScope())
        {
            var (inputs, labels) = Collate(batch);
            var logits = Policy.Forward(inputs);
            var flatLogits = logits.reshape(-1, logits.shape[^1]);
            var flatLabels = labels.reshape(-1);
            var lossTensor = nn.functional.cross_entropy(flatLogits, flatLabels, ignore_index: Ignore);
            lossTensor.backward();
            loss = lossTensor.item<float>();
            using (no_grad())
            {
                var counted = flatLabels.ne(Ignore);
                accuracy = flatLogits.argmax(-1).eq(flatLabels).logical_and(counted).sum().item<long>() / (double)Math.Max(1, counted.sum().item<long>());
            }
            gradNorm = GradientClipping.ClipOrMeasure(optimizer.Parameters, config.MaxGradNorm);
            optimizer.StepWith(learningRate);
            optimizer.ZeroGrad();
        }
        return new StepOutcome(new Dictionary<string, object>
        {
            ["loss"] = loss, ["mean_token_accuracy"] = accuracy, ["lr"] = learningRate,
            ["grad_norm"] = gradNorm, ["epoch"] = (double)(step + 1) / StepsPerEpoch, ["step_time"] = clock.Elapsed.TotalSeconds,
        }, loss);
    }

    public void Dispose() => optimizer.Dispose();

    /// <summary>Prompt + completion ids, cut from the left of the prompt to max_length, and where the completion starts.</summary>
    private (int[] Ids, int CompletionStart) Encode(SftExample example)
    {
        var prompt = Tokenizer.Encode(example.Prompt);
        var completion = Tokenizer.Encode(example.Completion);
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
        Array.Fill(inputs, Tokenizer.PadId);
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
