namespace Rlpt.Rewards;

/// <summary>
/// The weighted total per completion, each function's own scores (for rewards/{name}/mean) and each function's
/// failure count.
/// </summary>
public sealed record ComposedRewards(
    IReadOnlyList<double> Total,
    IReadOnlyDictionary<string, IReadOnlyList<double>> PerFunction,
    IReadOnlyDictionary<string, int> Failures);
