using System.Text.Json.Serialization;

namespace Rlpt.Decision.Offline.Online;

/// <summary>
/// Online RL on one classic-control task (d3rlpy's <c>fit_online</c>): double DQN with ε-greedy exploration on
/// discrete tasks, SAC with sampled actions on continuous ones. The first random_steps act uniformly at random;
/// gradient_steps updates follow every train_freq steps from learning_starts on, each on batch_size transitions of the
/// latest buffer_size; DQN's target is copied every target_update_interval environment steps (Stable-Baselines3's
/// schedule) and ε decays linearly from initial_epsilon (1) to final_epsilon over exploration_fraction of the run. Per-task defaults are
/// rl-baselines3-zoo's tuned settings, except CartPole's (<see cref="For"/>).
/// </summary>
public sealed record OnlineConfig
{
    [JsonPropertyName("total_steps")] public int TotalSteps { get; init; } = 50_000;
    [JsonPropertyName("random_steps")] public int RandomSteps { get; init; } = 1_000;
    [JsonPropertyName("learning_starts")] public int LearningStarts { get; init; } = 1_000;
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 64;
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 5e-4;
    [JsonPropertyName("gamma")] public double Gamma { get; init; } = 0.99;
    [JsonPropertyName("buffer_size")] public int BufferSize { get; init; } = 100_000;
    [JsonPropertyName("train_freq")] public int TrainFreq { get; init; } = 1;
    [JsonPropertyName("gradient_steps")] public int GradientSteps { get; init; } = 1;
    [JsonPropertyName("target_update_interval")] public int TargetUpdateInterval { get; init; } = 500;
    [JsonPropertyName("exploration_fraction")] public double ExplorationFraction { get; init; } = 0.2;
    [JsonPropertyName("initial_epsilon")] public double InitialEpsilon { get; init; } = 1.0;
    [JsonPropertyName("final_epsilon")] public double FinalEpsilon { get; init; } = 0.05;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 256;
    [JsonPropertyName("num_layers")] public int NumLayers { get; init; } = 2;
    /// <summary>Greedy evaluation every N steps; a collection's expert is the best evaluated policy (DQN's last one can be in a dip).</summary>
    [JsonPropertyName("eval_every")] public int EvalEvery { get; init; } = 5_000;
    [JsonPropertyName("eval_episodes")] public int EvalEpisodes { get; init; } = 10;

    /// <summary>rl-baselines3-zoo's DQN (discrete) and SAC (Pendulum) hyper-parameters, two hidden layers of 256 throughout; CartPole keeps the defaults.</summary>
    public static OnlineConfig For(string environment) => environment switch
    {
        // CartPole keeps the defaults: the zoo's burst schedule (128 updates every 256 steps at lr 2.3e-3) did no better
        // here (best greedy return 255, against 302 and 356 with the defaults).
        "CartPole-v1" => new(),
        "MountainCar-v0" => new() { TotalSteps = 120_000, LearningRate = 4e-3, BatchSize = 128, BufferSize = 10_000, RandomSteps = 1_000, LearningStarts = 1_000,
            Gamma = 0.98, TargetUpdateInterval = 600, TrainFreq = 16, GradientSteps = 8, ExplorationFraction = 0.2, FinalEpsilon = 0.07 },
        "Acrobot-v1" => new() { TotalSteps = 100_000, LearningRate = 6.3e-4, BatchSize = 128, BufferSize = 50_000, RandomSteps = 0, LearningStarts = 0,
            Gamma = 0.99, TargetUpdateInterval = 250, TrainFreq = 4, GradientSteps = 4, ExplorationFraction = 0.12, FinalEpsilon = 0.1 },
        "Pendulum-v1" => new() { TotalSteps = 20_000, LearningRate = 1e-3, BatchSize = 256, BufferSize = 1_000_000, RandomSteps = 100, LearningStarts = 100,
            Gamma = 0.99, TrainFreq = 1, GradientSteps = 1, EvalEvery = 2_000 },
        _ => new(),
    };

    public void Validate()
    {
        if (TotalSteps < 1 || BatchSize < 1 || BufferSize < 1 || TrainFreq < 1 || GradientSteps < 1 || TargetUpdateInterval < 1 || EvalEvery < 1 || EvalEpisodes < 1)
            throw new ArgumentException("total_steps, batch_size, buffer_size, train_freq, gradient_steps, target_update_interval, eval_every and eval_episodes must be positive.");
        if (RandomSteps < 0 || LearningStarts < 0 || LearningRate <= 0) throw new ArgumentException("random_steps and learning_starts must be >= 0 and learning_rate positive.");
        if (ExplorationFraction is <= 0 or > 1 || FinalEpsilon is < 0 || InitialEpsilon < FinalEpsilon || InitialEpsilon > 1)
            throw new ArgumentException("exploration_fraction must be in (0, 1] and 0 <= final_epsilon <= initial_epsilon <= 1.");
        if (HiddenSize < 1 || NumLayers < 1) throw new ArgumentException("hidden_size and num_layers must be positive.");
    }
}
