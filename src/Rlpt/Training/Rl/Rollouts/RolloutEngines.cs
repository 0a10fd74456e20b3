using Rlpt.Modeling;
using Rlpt.Tokenization;

namespace Rlpt.Training.Rl.Rollouts;

/// <summary>The rollout engines by name (<see cref="GrpoConfig.RolloutEngine"/>).</summary>
public static class RolloutEngines
{
    public const string Local = "local";
    public const string OpenAi = "openai";

    public static IReadOnlyList<string> Names { get; } = [Local, OpenAi];

    /// <param name="runDirectory">The run's folder: weights for the engines go to its rollout-weights/ unless weight_sync_dir says otherwise.</param>
    public static IRolloutEngine Create(GrpoConfig config, CausalLM policy, Tokenizer tokenizer, string runDirectory) => config.RolloutEngine switch
    {
        Local => new LocalRolloutEngine(policy, tokenizer, config.SharePrefix),
        OpenAi => new OpenAiRolloutEngine(new RemoteRolloutOptions
        {
            Urls = config.RolloutUrls.Select(u => new Uri(u)).ToArray(),
            ModelName = config.RolloutModel,
            RequestTimeout = TimeSpan.FromSeconds(config.RolloutTimeout),
            Retries = config.RolloutRetries,
            SyncDirectory = config.WeightSyncDir ?? Path.Combine(runDirectory, "rollout-weights"),
        }, policy, tokenizer),
        _ => throw new ArgumentException($"unknown rollout_engine '{config.RolloutEngine}'; valid: {string.Join(", ", Names)}."),
    };
}
