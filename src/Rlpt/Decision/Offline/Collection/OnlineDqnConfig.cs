using System.Text.Json.Serialization;

namespace Rlpt.Decision.Offline.Collection;

/// <summary>
/// Online double DQN that trains the behaviour policy a collection's datasets come from (Schweighofer et al. train an
/// online DQN and take its replay buffer and final policy). ε decays linearly from 1 to final_epsilon over the first
/// exploration_fraction of the steps; one update every train_freq steps after learning_starts; the target network is
/// copied every target_update_interval updates. Per-task defaults are in <see cref="For"/>.
/// </summary>
public sealed record OnlineDqnConfig
{
    [JsonPropertyName("total_steps")] public int TotalSteps { get; init; } = 50_000;
    [JsonPropertyName("learning_starts")] public int LearningStarts { get; init; } = 1_000;
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 64;
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 5e-4;
    [JsonPropertyName("gamma")] public double Gamma { get; init; } = 0.99;
    [JsonPropertyName("train_freq")] public int TrainFreq { get; init; } = 1;
    [JsonPropertyName("target_update_interval")] public int TargetUpdateInterval { get; init; } = 500;
    [JsonPropertyName("exploration_fraction")] public double ExplorationFraction { get; init; } = 0.2;
    [JsonPropertyName("final_epsilon")] public double FinalEpsilon { get; init; } = 0.05;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 256;
    [JsonPropertyName("num_layers")] public int NumLayers { get; init; } = 2;
    /// <summary>Greedy evaluation every N steps; the best evaluated policy becomes the expert (DQN's last policy can be in a dip).</summary>
    [JsonPropertyName("eval_every")] public int EvalEvery { get; init; } = 5_000;
    [JsonPropertyName("eval_episodes")] public int EvalEpisodes { get; init; } = 10;

    /// <summary>Defaults per task: Mountain Car needs a longer run, a shorter horizon (γ 0.98) and longer exploration to find the flag.</summary>
    public static OnlineDqnConfig For(string environment) => environment switch
    {
        "MountainCar-v0" => new() { TotalSteps = 100_000, Gamma = 0.98, LearningRate = 1e-3, ExplorationFraction = 0.3, FinalEpsilon = 0.07, TargetUpdateInterval = 600 },
        "Acrobot-v1" => new() { TotalSteps = 50_000, LearningRate = 6.3e-4, TargetUpdateInterval = 250, FinalEpsilon = 0.1, ExplorationFraction = 0.12 },
        _ => new(),
    };

    public void Validate()
    {
        if (TotalSteps < 1 || BatchSize < 1 || TrainFreq < 1 || TargetUpdateInterval < 1 || EvalEvery < 1 || EvalEpisodes < 1)
            throw new ArgumentException("total_steps, batch_size, train_freq, target_update_interval, eval_every and eval_episodes must be positive.");
        if (LearningStarts < 0 || LearningRate <= 0) throw new ArgumentException("learning_starts must be >= 0 and learning_rate positive.");
        if (ExplorationFraction is <= 0 or > 1 || FinalEpsilon is < 0 or > 1) throw new ArgumentException("exploration_fraction must be in (0, 1] and final_epsilon in [0, 1].");
    }
}
