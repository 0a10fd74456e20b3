using System.Text.Json.Serialization;
using Rlpt.Evaluation;

namespace Rlpt.Decision.InContext.Evaluation;

/// <summary>A bandit in-context evaluation: per learner, per task curves of offline suboptimality and online regret.</summary>
public sealed record BanditResult
{
    [JsonPropertyName("environment")] public string Environment { get; init; } = "";
    [JsonPropertyName("tasks")] public int Tasks { get; init; }
    [JsonPropertyName("horizon")] public int Horizon { get; init; }
    /// <summary>[learner][task][prefix length 0..horizon] suboptimality of the arm named after that many context pulls.</summary>
    [JsonPropertyName("offline_suboptimality")] public Dictionary<string, double[][]> OfflineSuboptimality { get; init; } = [];
    /// <summary>[learner][task][step] cumulative expected regret of online play.</summary>
    [JsonPropertyName("online_regret")] public Dictionary<string, double[][]> OnlineRegret { get; init; } = [];

    /// <summary>A learner's final cumulative regret over tasks.</summary>
    public Estimate FinalRegret(string learner) => Estimate.Of(OnlineRegret[learner].Select(task => task[^1]).ToArray());

    /// <summary>A learner's suboptimality after the whole context.</summary>
    public Estimate FinalSuboptimality(string learner) => Estimate.Of(OfflineSuboptimality[learner].Select(task => task[^1]).ToArray());
}
