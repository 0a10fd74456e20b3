using System.Text.Json.Serialization;
using Rlpt.Training.Runs;

namespace Rlpt.Training.Dpo;

/// <summary>
/// Direct preference optimisation (arXiv 2305.18290) and IPO (arXiv 2310.12036). Defaults follow TRL's DPOConfig where
/// it has one (β 0.1, sigmoid loss, lr 1e-6, batch 8); tiny from-scratch models need a larger rate (the demo's
/// experiment uses 1e-5).
/// </summary>
public sealed record DpoConfig
{
    /// <summary>β: the strength of the implicit KL to the reference; larger keeps the policy closer. Default 0.1.</summary>
    [JsonPropertyName("beta")] public double Beta { get; init; } = 0.1;
    /// <summary>sigmoid (DPO: −log σ(β·h)) or ipo ((h − 1/(2β))²), h the chosen-minus-rejected log-ratio margin. Default sigmoid.</summary>
    [JsonPropertyName("loss_type")] public string LossType { get; init; } = DpoLoss.Sigmoid;
    [JsonPropertyName("epochs")] public int Epochs { get; init; } = 1;
    /// <summary>Pairs per optimizer step.</summary>
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 8;
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 1e-6;
    [JsonPropertyName("warmup_steps")] public int WarmupSteps { get; init; }
    /// <summary>Prompt + completion tokens of one side; longer prompts lose tokens from the left (both sides alike).</summary>
    [JsonPropertyName("max_length")] public int MaxLength { get; init; } = 512;
    [JsonPropertyName("max_grad_norm")] public double MaxGradNorm { get; init; } = 1.0;
    /// <summary>Forward each pair's prompt once for both completions (same log-probs, tested); false forwards each side whole.</summary>
    [JsonPropertyName("share_prefix")] public bool SharePrefix { get; init; } = true;
    [JsonPropertyName("save_every")] public int SaveEvery { get; init; } = 100;
    [JsonPropertyName("save_total_limit")] public int SaveTotalLimit { get; init; } = 2;
    [JsonPropertyName("seed")] public int Seed { get; init; } = 1234;

    [JsonIgnore] public SavePolicy Saving => new(SaveEvery, SaveTotalLimit);

    public void Validate()
    {
        if (!(Beta > 0)) throw new ArgumentException($"beta must be positive (got {Beta}).");
        if (!DpoLoss.Types.Contains(LossType)) throw new ArgumentException($"loss_type must be one of {string.Join(", ", DpoLoss.Types)} (got '{LossType}').");
        if (Epochs < 1 || BatchSize < 1) throw new ArgumentException("epochs and batch_size must be at least 1.");
        if (MaxLength < 2) throw new ArgumentException($"max_length must be at least 2 (got {MaxLength}).");
        if (!(LearningRate > 0)) throw new ArgumentException($"learning_rate must be positive (got {LearningRate}).");
        if (WarmupSteps < 0) throw new ArgumentException($"warmup_steps must be >= 0 (got {WarmupSteps}).");
        if (MaxGradNorm < 0) throw new ArgumentException($"max_grad_norm must be >= 0 (got {MaxGradNorm}); 0 disables clipping.");
        Saving.Validate();
    }
}
