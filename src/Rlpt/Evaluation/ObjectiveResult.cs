using System.Text.Json.Serialization;

namespace Rlpt.Evaluation;

/// <summary>
/// An objective's own held-out measurement of a checkpoint (RLP's information gain, EMPO's semantic entropy ...):
/// named metrics over the same items, each with every item's value, so two checkpoints scored on the same items get
/// paired differences.
/// </summary>
/// <param name="Objective">The objective's registry name.</param>
/// <param name="Description">What was measured, for the report (how items were drawn and decoded).</param>
/// <param name="Items">A stable key per item (document and position, document and segment ...): what pairing compares.</param>
public sealed record ObjectiveResult(
    [property: JsonPropertyName("objective")] string Objective,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("items")] IReadOnlyList<string> Items,
    [property: JsonPropertyName("metrics")] IReadOnlyList<ObjectiveMetric> Metrics)
{
    /// <summary>A metric from per-item values; the interval is a bootstrap over items.</summary>
    public static ObjectiveMetric Metric(string name, IReadOnlyList<double> perItem, bool score, bool higherIsBetter = true) =>
        new(name, Estimate.Of(perItem), score, higherIsBetter, perItem);
}

/// <param name="Score">A reward or rate in about 0..1 (plotted with the other scores).</param>
/// <param name="HigherIsBetter">False for an entropy or a length, read the other way.</param>
public sealed record ObjectiveMetric(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] Estimate Value,
    [property: JsonPropertyName("score")] bool Score,
    [property: JsonPropertyName("higher_is_better")] bool HigherIsBetter,
    [property: JsonPropertyName("per_item")] IReadOnlyList<double> PerItem);
