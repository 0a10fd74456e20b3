using System.Text.Json.Serialization;
using Rlpt.Training.Runs;

namespace Rlpt.Decision.InContext;

/// <summary>
/// Pretraining an in-context learner (DPT or AD). DPT trains 4 layers × 4 heads × 32 dimensions with AdamW (weight
/// decay 1e-4), batch 64 and lr 1e-4 on bandits, batch 128 and lr 1e-3 on Dark Room (its reference code: 200 epochs over
/// 80,000 training contexts); AD^ε uses 4 layers and windows of 80 transitions. A CPU run takes fewer steps (stated next to every
/// figure). Defaults follow DPT's Dark Room; a warm-up and cosine decay are added.
/// </summary>
public sealed record InContextTrainingConfig
{
    /// <summary>dpt (query + context → optimal action) or ad (learning-history windows → the source's next action).</summary>
    [JsonPropertyName("method")] public string Method { get; init; } = "dpt";
    [JsonPropertyName("max_steps")] public int MaxSteps { get; init; } = 2000;
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 128;
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 1e-3;
    [JsonPropertyName("warmup_steps")] public int WarmupSteps { get; init; } = 50;
    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; } = 1e-4;
    /// <summary>Global gradient-norm clip; 0 disables.</summary>
    [JsonPropertyName("max_grad_norm")] public double MaxGradNorm { get; init; } = 1.0;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 32;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 4;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 4;
    /// <summary>Held-out loss and accuracy every N steps on held-out contexts (0: only at the end).</summary>
    [JsonPropertyName("eval_every")] public int EvalEvery { get; init; } = 200;
    [JsonPropertyName("save_every")] public int SaveEvery { get; init; } = 500;
    [JsonPropertyName("save_total_limit")] public int SaveTotalLimit { get; init; } = 2;
    [JsonPropertyName("seed")] public int Seed { get; init; } = 1234;
    /// <summary>AD: transitions per training window (AD^ε: 80, four 20-step episodes).</summary>
    [JsonPropertyName("sequence_length")] public int SequenceLength { get; init; } = 80;
    /// <summary>AD: none, or lhf (learning-history filtering: resample histories by improvement + λ·stability).</summary>
    [JsonPropertyName("history_filter")] public string HistoryFilter { get; init; } = "none";
    /// <summary>LHF's weight λ of stability against improvement. Default: 1.</summary>
    [JsonPropertyName("lhf_lambda")] public double LhfLambda { get; init; } = 1.0;

    [JsonIgnore] public SavePolicy Saving => new(SaveEvery, SaveTotalLimit);

    public void Validate()
    {
        if (MaxSteps < 1 || BatchSize < 1) throw new ArgumentException($"max_steps ({MaxSteps}) and batch_size ({BatchSize}) must be positive.");
        if (LearningRate <= 0) throw new ArgumentException($"learning_rate must be positive (got {LearningRate}).");
        if (WarmupSteps < 0 || WeightDecay < 0 || MaxGradNorm < 0 || EvalEvery < 0) throw new ArgumentException("warmup_steps, weight_decay, max_grad_norm and eval_every must be >= 0.");
        if (HiddenSize < 1 || NumHiddenLayers < 1 || NumAttentionHeads < 1 || HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"hidden_size ({HiddenSize}) must be a positive multiple of num_attention_heads ({NumAttentionHeads}).");
        if (Method is not ("dpt" or "ad")) throw new ArgumentException($"unknown method '{Method}' (dpt, ad).");
        if (SequenceLength < 1) throw new ArgumentException($"sequence_length must be positive (got {SequenceLength}).");
        if (HistoryFilter is not ("none" or "lhf")) throw new ArgumentException($"unknown history_filter '{HistoryFilter}' (none, lhf).");
        if (LhfLambda < 0) throw new ArgumentException($"lhf_lambda must be >= 0 (got {LhfLambda}).");
        Saving.Validate();
    }
}
