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
    [JsonPropertyName("action_accuracy")] public DarkRoomActionAccuracy? ActionAccuracy { get; init; }

    [JsonIgnore] public Estimate ContextReturn => Estimate.Of(ContextReturns);
    [JsonIgnore] public Estimate OptimalReturn => Estimate.Of(OptimalReturns);
    [JsonIgnore] public Estimate OfflineGreedy => Estimate.Of(OfflineGreedyReturns);
    [JsonIgnore] public Estimate OfflineSampled => Estimate.Of(OfflineSampledReturns);

    /// <summary>Mean online return per episode and its standard error over tasks.</summary>
    [JsonIgnore] public (double Mean, double Sem)[] OnlineCurve => ReturnStatistics.Curve(OnlineReturns);
}

/// <summary>Greedy optimal-action rates after the whole offline context, every state as the query.</summary>
/// <param name="GoalShownElsewhere">The context shows the goal; queries other than the goal.</param>
/// <param name="GoalShownAtGoal">The context shows the goal; the query is the goal (optimal: stay).</param>
/// <param name="GoalNotShown">The context has no rewarded transition; every query.</param>
/// <param name="ContextsShowingTheGoal">How many of the offline contexts show the goal.</param>
public sealed record DarkRoomActionAccuracy(
    [property: JsonPropertyName("goal_shown_elsewhere")] double GoalShownElsewhere,
    [property: JsonPropertyName("goal_shown_at_goal")] double GoalShownAtGoal,
    [property: JsonPropertyName("goal_not_shown")] double GoalNotShown,
    [property: JsonPropertyName("contexts_showing_the_goal")] int ContextsShowingTheGoal);
