namespace Rlpt.Decision.InContext;

/// <summary>Per-episode summaries of [task][episode] return tables, as the in-context plots show them.</summary>
public static class ReturnStatistics
{
    public static (double Mean, double Sem) MeanAndSem(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        if (values.Count < 2) return (mean, 0);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, Math.Sqrt(variance / values.Count));
    }

    /// <summary>Mean return per episode and its standard error over tasks.</summary>
    public static (double Mean, double Sem)[] Curve(double[][] returns) => Enumerable.Range(0, returns.Length == 0 ? 0 : returns[0].Length)
        .Select(e => MeanAndSem(returns.Select(task => task[e]).ToArray())).ToArray();
}
