using System.Text.Json.Serialization;

namespace Rlpt.Training.Rl;

/// <summary>
/// GRPO and its variants as documented options. Defaults follow TRL's GRPOConfig where it has one (G = 8, β = 0,
/// temperature 1) and DAPO's clip-higher (ε_low 0.2, ε_high 0.28) with token-mean aggregation.
/// </summary>
public sealed record GrpoConfig
{
    /// <summary>Completions sampled per prompt (G).</summary>
    [JsonPropertyName("num_generations")] public int NumGenerations { get; init; } = 8;
    /// <summary>Prompts per optimizer batch.</summary>
    [JsonPropertyName("prompts_per_step")] public int PromptsPerStep { get; init; } = 8;
    [JsonPropertyName("max_completion_length")] public int MaxCompletionLength { get; init; } = 128;
    [JsonPropertyName("temperature")] public double Temperature { get; init; } = 1.0;
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 1e-5;
    [JsonPropertyName("max_steps")] public int MaxSteps { get; init; } = 100;
    /// <summary>Lower clip bound ε_low: ratios below 1 − ε_low are clipped.</summary>
    [JsonPropertyName("epsilon")] public double Epsilon { get; init; } = 0.2;
    /// <summary>Upper clip bound ε_high (clip-higher, DAPO); null means ε_high = ε_low.</summary>
    [JsonPropertyName("epsilon_high")] public double? EpsilonHigh { get; init; } = 0.28;
    /// <summary>token-mean | seq-mean-token-mean | seq-mean-token-sum-norm.</summary>
    [JsonPropertyName("loss_aggregation")] public string LossAggregation { get; init; } = "token-mean";
    /// <summary>Advantage estimator: grpo (group z-score), dr_grpo (no std), rloo.</summary>
    [JsonPropertyName("advantage_estimator")] public string AdvantageEstimator { get; init; } = "grpo";
    /// <summary>Policy loss: ppo_clip (GRPO's clipped surrogate).</summary>
    [JsonPropertyName("policy_loss")] public string PolicyLoss { get; init; } = "ppo_clip";
    /// <summary>KL coefficient β to the reference model (k3 estimator); 0 keeps no reference model in memory.</summary>
    [JsonPropertyName("beta")] public double Beta { get; init; }
    /// <summary>Optimisation epochs (μ) per rollout batch; ratios are taken against the stored rollout log-probs.</summary>
    [JsonPropertyName("num_iterations")] public int NumIterations { get; init; } = 1;
    /// <summary>Drop groups whose rewards are all equal and refill the batch (DAPO dynamic sampling).</summary>
    [JsonPropertyName("dynamic_sampling")] public bool DynamicSampling { get; init; }
    /// <summary>Completions cut by max_completion_length get no loss (DAPO overlong filtering).</summary>
    [JsonPropertyName("mask_truncated_completions")] public bool MaskTruncatedCompletions { get; init; }
    /// <summary>Soft overlong penalty window (DAPO): the last N tokens before the limit cost up to 1 reward; 0 disables.</summary>
    [JsonPropertyName("overlong_buffer")] public int OverlongBuffer { get; init; }
    [JsonPropertyName("max_grad_norm")] public double MaxGradNorm { get; init; } = 1.0;
    [JsonPropertyName("seed")] public int Seed { get; init; } = 1234;

    [JsonIgnore] public double ResolvedEpsilonHigh => EpsilonHigh ?? Epsilon;
}
