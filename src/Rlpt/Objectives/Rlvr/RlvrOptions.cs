using System.Text.Json.Serialization;

namespace Rlpt.Objectives.Rlvr;

/// <summary>RLVR on RandomCalculation (arXiv 2507.10532): which problems are posed and how answers are scored.</summary>
public sealed record RlvrOptions
{
    /// <summary>Problems have rlvr_min_level..rlvr_max_level operations, in turn (a curriculum is a range the model can reach). Defaults 1 and 2.</summary>
    [JsonPropertyName("rlvr_min_level")] public int MinLevel { get; init; } = 1;
    [JsonPropertyName("rlvr_max_level")] public int MaxLevel { get; init; } = 2;

    /// <summary>
    /// continuous (the paper's r = 1 − 0.5·min(|a − b|, 1) − 0.5·min(|a − b| / (|b| + 1e-6), 1)) or binary (1 for an
    /// exactly equivalent value). A completion without a conclusion stating a value scores 0. Default continuous.
    /// </summary>
    [JsonPropertyName("rlvr_reward")] public string Reward { get; init; } = "continuous";

    /// <summary>Seeds the problems drawn. Default 1234.</summary>
    [JsonPropertyName("rlvr_seed")] public int Seed { get; init; } = 1234;

    public static IReadOnlyCollection<string> Rewards { get; } = ["continuous", "binary"];

    public void Validate()
    {
        if (MinLevel < 1 || MaxLevel < MinLevel) throw new ArgumentException($"rlvr levels must satisfy 1 <= rlvr_min_level <= rlvr_max_level (got {MinLevel}..{MaxLevel}).");
        if (!Rewards.Contains(Reward)) throw new ArgumentException($"rlvr_reward must be one of {string.Join(", ", Rewards)} (got '{Reward}').");
    }
}
