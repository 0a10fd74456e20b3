using System.Text.Json.Serialization;
using Rlpt.Training.Runs;

namespace Rlpt.Training.Sft;

/// <summary>
/// Completion-only supervised fine-tuning. TRL's SFTConfig uses lr 2e-5 for pretrained LLMs and RLPT's cold start
/// used 2e-5 with a cosine schedule for 3 epochs; tiny from-scratch models need a larger rate, hence 1e-4 here.
/// </summary>
public sealed record SftConfig
{
    [JsonPropertyName("epochs")] public int Epochs { get; init; } = 3;
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 8;
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 1e-4;
    [JsonPropertyName("warmup_steps")] public int WarmupSteps { get; init; } = 10;
    /// <summary>Examples longer than this (prompt + completion tokens) lose prompt tokens from the left.</summary>
    [JsonPropertyName("max_length")] public int MaxLength { get; init; } = 512;
    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; } = 0.0;
    /// <summary>Global gradient-norm clip; 0 disables.</summary>
    [JsonPropertyName("max_grad_norm")] public double MaxGradNorm { get; init; } = 1.0;
    [JsonPropertyName("save_every")] public int SaveEvery { get; init; } = 100;
    [JsonPropertyName("save_total_limit")] public int SaveTotalLimit { get; init; } = 2;
    [JsonPropertyName("seed")] public int Seed { get; init; } = 1234;

    [JsonIgnore] public SavePolicy Saving => new(SaveEvery, SaveTotalLimit);

    public void Validate()
    {
        if (Epochs < 1 || BatchSize < 1 || MaxLength < 2) throw new ArgumentException("epochs, batch_size must be at least 1 and max_length at least 2.");
        if (LearningRate <= 0) throw new ArgumentException($"learning_rate must be positive (got {LearningRate}).");
        if (WarmupSteps < 0) throw new ArgumentException($"warmup_steps must be >= 0 (got {WarmupSteps}).");
        if (MaxGradNorm < 0) throw new ArgumentException($"max_grad_norm must be >= 0 (got {MaxGradNorm}); 0 disables clipping.");
        Saving.Validate();
    }
}
