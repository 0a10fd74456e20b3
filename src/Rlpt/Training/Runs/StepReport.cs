namespace Rlpt.Training.Runs;

/// <summary>What the loop reports after each step (for progress displays): the step and its metrics.</summary>
public sealed record StepReport(int Step, int MaxSteps, IReadOnlyDictionary<string, object> Metrics)
{
    /// <summary>A numeric metric, NaN when the step did not log it.</summary>
    public double this[string name] => Metrics.TryGetValue(name, out var value) ? Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) : double.NaN;
}

/// <summary>How a run ended: steps done, whether Ctrl-C stopped it, where the model went, and the last step's metrics.</summary>
public sealed record RunResult(int Steps, bool Interrupted, string ModelDirectory, StepReport? Last)
{
    public double Metric(string name) => Last?[name] ?? double.NaN;
}
