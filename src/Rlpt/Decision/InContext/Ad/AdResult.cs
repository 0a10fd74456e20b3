using System.Text.Json.Serialization;

namespace Rlpt.Decision.InContext.Ad;

/// <summary>AD's in-context returns per task and episode on the training and held-out tasks.</summary>
public sealed record AdResult
{
    [JsonPropertyName("environment")] public string Environment { get; init; } = "";
    [JsonPropertyName("train_returns")] public double[][] TrainReturns { get; init; } = [];
    [JsonPropertyName("held_out_returns")] public double[][] HeldOutReturns { get; init; } = [];
    [JsonPropertyName("train_optimal_returns")] public double[] TrainOptimalReturns { get; init; } = [];
    [JsonPropertyName("held_out_optimal_returns")] public double[] HeldOutOptimalReturns { get; init; } = [];

    /// <summary>Per task, the mean return of the last <paramref name="episodes"/> episodes (the in-context asymptote).</summary>
    public static double[] Final(double[][] returns, int episodes = 5) => returns.Select(task => task.TakeLast(episodes).Average()).ToArray();
}
