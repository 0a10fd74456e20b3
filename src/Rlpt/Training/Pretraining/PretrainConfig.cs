using System.Text.Json.Serialization;
using Rlpt.Training.Runs;

namespace Rlpt.Training.Pretraining;

/// <summary>
/// Next-token pretraining options. Defaults suit the small presets on a CPU (nanoGPT-like: AdamW β=(0.9, 0.95),
/// weight decay 0.1, warm-up then cosine decay to a tenth of the peak, gradient clipping at 1.0).
/// </summary>
public sealed record PretrainConfig
{
    /// <summary>Tokens per training sequence (documents are packed with end-of-text separators).</summary>
    [JsonPropertyName("sequence_length")] public int SequenceLength { get; init; } = 256;
    /// <summary>Sequences per micro-batch.</summary>
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 16;
    /// <summary>Micro-batches whose gradients are summed per optimizer step.</summary>
    [JsonPropertyName("gradient_accumulation_steps")] public int GradientAccumulationSteps { get; init; } = 1;
    /// <summary>Optimizer steps in the whole run (the schedule spans exactly these).</summary>
    [JsonPropertyName("max_steps")] public int MaxSteps { get; init; } = 1000;
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 1e-3;
    /// <summary>Floor of the cosine schedule; null means a tenth of the peak rate.</summary>
    [JsonPropertyName("min_learning_rate")] public double? MinLearningRate { get; init; }
    [JsonPropertyName("warmup_steps")] public int WarmupSteps { get; init; } = 50;
    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; } = 0.1;
    [JsonPropertyName("adam_beta1")] public double AdamBeta1 { get; init; } = 0.9;
    [JsonPropertyName("adam_beta2")] public double AdamBeta2 { get; init; } = 0.95;
    [JsonPropertyName("adam_epsilon")] public double AdamEpsilon { get; init; } = 1e-8;
    /// <summary>Global gradient-norm clip; 0 disables.</summary>
    [JsonPropertyName("max_grad_norm")] public double MaxGradNorm { get; init; } = 1.0;
    /// <summary>Held-out loss every N steps (and at the end); 0 only at the end.</summary>
    [JsonPropertyName("eval_every")] public int EvalEvery { get; init; } = 100;
    /// <summary>Micro-batches of held-out data per evaluation.</summary>
    [JsonPropertyName("eval_batches")] public int EvalBatches { get; init; } = 10;
    /// <summary>Checkpoint every N steps (and at the end and on Ctrl-C); 0 only then.</summary>
    [JsonPropertyName("save_every")] public int SaveEvery { get; init; } = 200;
    /// <summary>Checkpoints kept in checkpoints/; older ones are deleted.</summary>
    [JsonPropertyName("save_total_limit")] public int SaveTotalLimit { get; init; } = 2;
    /// <summary>Seeds weight initialisation and the data order.</summary>
    [JsonPropertyName("seed")] public int Seed { get; init; } = 1234;
    /// <summary>
    /// Time budget of this run in seconds (0 = none): the summed wall time of its steps, kept across resumes (start-up
    /// and checkpoint writes do not count); training stops, evaluates and saves when it is spent.
    /// </summary>
    [JsonPropertyName("max_seconds")] public double MaxSeconds { get; init; }

    [JsonIgnore] public double ResolvedMinLearningRate => MinLearningRate ?? LearningRate / 10;
    [JsonIgnore] public SavePolicy Saving => new(SaveEvery, SaveTotalLimit);
    [JsonIgnore] public long TokensPerStep => (long)SequenceLength * BatchSize * GradientAccumulationSteps;

    public void Validate()
    {
        void Require(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        Require(SequenceLength >= 2, $"sequence_length must be at least 2 (got {SequenceLength}).");
        Require(BatchSize >= 1, $"batch_size must be at least 1 (got {BatchSize}).");
        Require(GradientAccumulationSteps >= 1, $"gradient_accumulation_steps must be at least 1 (got {GradientAccumulationSteps}).");
        Require(MaxSteps >= 1, $"max_steps must be at least 1 (got {MaxSteps}).");
        Require(LearningRate > 0, $"learning_rate must be positive (got {LearningRate}).");
        Require(WarmupSteps >= 0, $"warmup_steps must be >= 0 (got {WarmupSteps}).");
        Require(MaxGradNorm >= 0, $"max_grad_norm must be >= 0 (got {MaxGradNorm}).");
        Require(EvalEvery >= 0 && SaveEvery >= 0, "eval_every and save_every must be >= 0.");
        Require(EvalBatches >= 1, $"eval_batches must be at least 1 (got {EvalBatches}).");
        Require(MaxSeconds >= 0, $"max_seconds must be >= 0 (got {MaxSeconds}).");
        Saving.Validate();
    }
}
