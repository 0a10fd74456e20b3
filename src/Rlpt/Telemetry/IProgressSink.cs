namespace Rlpt.Telemetry;

/// <summary>
/// Where long-running library work reports progress; the CLI renders it as progress bars, tests ignore it.
/// </summary>
public interface IProgressSink
{
    /// <param name="unit">Shown after the counts when given (e.g. "s" for a time budget); none for steps and items.</param>
    IProgressBar AddBar(string name, double total, string? unit = null);
    void Log(string message);
}

public interface IProgressBar
{
    /// <param name="value">Absolute progress in the bar's unit.</param>
    /// <param name="metrics">Live metrics shown beside the name, e.g. "loss 3.21 · 2.1k tok/s".</param>
    void Update(double value, string? metrics = null);
}

/// <summary>Discards progress (library callers that do not display any).</summary>
public sealed class NullProgressSink : IProgressSink
{
    public static readonly NullProgressSink Instance = new();
    public IProgressBar AddBar(string name, double total, string? unit = null) => NullBar.Instance;
    public void Log(string message) { }

    private sealed class NullBar : IProgressBar
    {
        public static readonly NullBar Instance = new();
        public void Update(double value, string? metrics = null) { }
    }
}
