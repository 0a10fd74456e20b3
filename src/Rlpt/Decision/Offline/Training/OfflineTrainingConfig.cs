using System.Text.Json.Serialization;
using Rlpt.Training.Runs;

namespace Rlpt.Decision.Offline.Training;

/// <summary>
/// Offline training of one algorithm on one dataset (d3rlpy's <c>fit</c>). Defaults follow CORL's single-file
/// algorithms at CPU scale: Adam at 3e-4, batch 256, γ 0.99, Polyak targets with τ 0.005, two hidden layers of 256;
/// discrete CQL's α = 1 and continuous CQL's conservative weight 5 are d3rlpy's defaults; IQL's expectile 0.7 and
/// β = 3 and TD3+BC's α = 2.5 are their papers' (and CORL's) locomotion settings; trajectory weighting's α = 0.1 is Hong et al.'s.
/// </summary>
public sealed record OfflineTrainingConfig
{
    /// <summary>A name from <see cref="Algorithms.OfflineAlgorithms"/>: bc, dqn, double_dqn, cql (discrete or continuous), calql, sac, iql, td3bc.</summary>
    [JsonPropertyName("algorithm")] public string Algorithm { get; init; } = "cql";
    [JsonPropertyName("max_steps")] public int MaxSteps { get; init; } = 10_000;
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 256;
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 3e-4;
    [JsonPropertyName("gamma")] public double Gamma { get; init; } = 0.99;
    /// <summary>Polyak averaging of target networks per update (used when target_update_interval is 0).</summary>
    [JsonPropertyName("tau")] public double Tau { get; init; } = 0.005;
    /// <summary>Copy the online network to the target every N updates (DQN's hard update); 0 uses τ instead.</summary>
    [JsonPropertyName("target_update_interval")] public int TargetUpdateInterval { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 256;
    [JsonPropertyName("num_layers")] public int NumLayers { get; init; } = 2;
    /// <summary>Global gradient-norm clip; 0 disables (SB3's DQN clips at 10).</summary>
    [JsonPropertyName("max_grad_norm")] public double MaxGradNorm { get; init; } = 10.0;
    /// <summary>Discrete CQL: weight of the conservative term logsumexp_a Q(s, a) − Q(s, a_data).</summary>
    [JsonPropertyName("cql_alpha")] public double CqlAlpha { get; init; } = 1.0;
    /// <summary>Continuous CQL and Cal-QL: weight of the importance-sampled log-sum-exp gap.</summary>
    [JsonPropertyName("conservative_weight")] public double ConservativeWeight { get; init; } = 5.0;
    /// <summary>IQL: the expectile τ of the value regression (0.5 is the mean; → 1 approaches the max).</summary>
    [JsonPropertyName("iql_expectile")] public double IqlExpectile { get; init; } = 0.7;
    /// <summary>IQL: inverse temperature β of the advantage-weighted actor.</summary>
    [JsonPropertyName("iql_beta")] public double IqlBeta { get; init; } = 3.0;
    /// <summary>TD3+BC: α in λ = α / mean|Q|, the weight of the critic against behaviour cloning.</summary>
    [JsonPropertyName("td3bc_alpha")] public double Td3BcAlpha { get; init; } = 2.5;
    /// <summary>Trajectory weighting of the sampler: none, rw (return-weighted) or aw (advantage-weighted).</summary>
    [JsonPropertyName("weighting")] public string Weighting { get; init; } = "none";
    /// <summary>Trajectory weighting's temperature on min-max normalised returns or advantages.</summary>
    [JsonPropertyName("weighting_alpha")] public double WeightingAlpha { get; init; } = 0.1;
    /// <summary>Environment evaluation every N steps (0: only at the end).</summary>
    [JsonPropertyName("eval_every")] public int EvalEvery { get; init; } = 1000;
    [JsonPropertyName("eval_episodes")] public int EvalEpisodes { get; init; } = 10;
    [JsonPropertyName("save_every")] public int SaveEvery { get; init; } = 5000;
    [JsonPropertyName("save_total_limit")] public int SaveTotalLimit { get; init; } = 2;
    [JsonPropertyName("seed")] public int Seed { get; init; } = 1234;

    [JsonIgnore] public SavePolicy Saving => new(SaveEvery, SaveTotalLimit);

    public void Validate()
    {
        if (MaxSteps < 1 || BatchSize < 1) throw new ArgumentException($"max_steps ({MaxSteps}) and batch_size ({BatchSize}) must be positive.");
        if (LearningRate <= 0) throw new ArgumentException($"learning_rate must be positive (got {LearningRate}).");
        if (Gamma is < 0 or > 1) throw new ArgumentException($"gamma must be in [0, 1] (got {Gamma}).");
        if (Tau is <= 0 or > 1) throw new ArgumentException($"tau must be in (0, 1] (got {Tau}).");
        if (TargetUpdateInterval < 0 || MaxGradNorm < 0 || CqlAlpha < 0 || EvalEvery < 0) throw new ArgumentException("target_update_interval, max_grad_norm, cql_alpha and eval_every must be >= 0.");
        if (HiddenSize < 1 || NumLayers < 1) throw new ArgumentException($"hidden_size ({HiddenSize}) and num_layers ({NumLayers}) must be positive.");
        if (ConservativeWeight < 0 || IqlBeta < 0 || Td3BcAlpha < 0) throw new ArgumentException("conservative_weight, iql_beta and td3bc_alpha must be >= 0.");
        if (IqlExpectile is <= 0 or >= 1) throw new ArgumentException($"iql_expectile must be in (0, 1) (got {IqlExpectile}).");
        if (EvalEpisodes < 1) throw new ArgumentException($"eval_episodes must be positive (got {EvalEpisodes}).");
        if (Weighting is not ("none" or "rw" or "aw")) throw new ArgumentException($"unknown weighting '{Weighting}' (none, rw, aw).");
        if (WeightingAlpha <= 0) throw new ArgumentException($"weighting_alpha must be positive (got {WeightingAlpha}).");
        Algorithms.OfflineAlgorithms.Check(Algorithm);
        Saving.Validate();
    }
}
