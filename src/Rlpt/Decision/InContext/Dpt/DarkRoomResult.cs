using System.Text.Json.Serialization;
using Rlpt.Evaluation;

namespace Rlpt.Decision.InContext.Dpt;

/// <summary>A Dark Room in-context evaluation, per task and episode, with the summaries reports print.</summary>
public sealed record DarkRoomResult
{
    [JsonPropertyName("environment")] public string Environment { get; init; } = "";
    [JsonPropertyName("held_out_tasks")] public int HeldOutTasks { get; init; }
    [JsonPropertyName("context_length")] public int ContextLength { get; init; }
    /// <summary>Summed reward inside each offline context (uniform random transitions).</summary>
    [JsonPropertyName("context_returns")] public double[] ContextReturns { get; init; } = [];
    [JsonPropertyName("optimal_returns")] public double[] OptimalReturns { get; init; } = [];
    [JsonPropertyName("offline_greedy_returns")] public double[] OfflineGreedyReturns { get; init; } = [];
    [JsonPropertyName("offline_sampled_returns")] public double[] OfflineSampledReturns { get; init; } = [];
    /// <summary>[task][episode] returns of online play from an empty context.</summary>
    [JsonPropertyName("online_returns")] public double[][] OnlineReturns { get; init; } = [];
    [JsonPropertyName("online_optimal_returns")] public double[] OnlineOptimalReturns { get; init; } = [];

    [JsonIgnore] public Estimate ContextReturn => Estimate.Of(ContextReturns);
    [JsonIgnore] public Estimate OptimalReturn => Estimate.Of(OptimalReturns);
    [JsonIgnore] public Estimate OfflineGreedy => Estimate.Of(OfflineGreedyReturns);
    [JsonIgnore] public Estimate OfflineSampled => Estimate.Of(OfflineSampledReturns);

    /// <summary>Mean online return per episode and its standard error over tasks.</summary>
    [JsonIgnore]
    public (double Mean, double Sem)[] OnlineCurve => Enumerable.Range(0, OnlineReturns.Length == 0 ? 0 : OnlineReturns[0].Length)
        .Select(e => MeanAndSem(OnlineReturns.Select(task => task[e]).ToArray())).ToArray();

    public static (double Mean, double Sem) MeanAndSem(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        if (values.Count < 2) return (mean, 0);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, Math.Sqrt(variance / values.Count));
    }
}
