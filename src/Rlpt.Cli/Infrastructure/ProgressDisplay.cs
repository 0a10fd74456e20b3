using Rlpt.Telemetry;
using Spectre.Console;

namespace Rlpt.Cli.Infrastructure;

/// <summary>
/// Progress bars with ETA and live metrics on a terminal; on a pipe or log (CI) a plain line every few percent
/// instead; nothing with --quiet.
/// </summary>
public sealed class ProgressDisplay : IProgressSink
{
    private readonly ProgressContext? context;
    private readonly bool quiet;
    private readonly Action<string>? log;

    private ProgressDisplay(ProgressContext? context, bool quiet, Action<string>? log)
    {
        this.context = context;
        this.quiet = quiet;
        this.log = log;
    }

    /// <param name="log">Where <see cref="Log"/> messages go (e.g. the run's log file), besides the screen.</param>
    public static T Run<T>(bool quiet, Func<ProgressDisplay, T> body, Action<string>? log = null)
    {
        if (quiet || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return body(new ProgressDisplay(null, quiet, log));
        return AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => body(new ProgressDisplay(ctx, quiet, log)));
    }

    public IProgressBar AddBar(string name, double total, string? unit = null) =>
        new ProgressBar(context?.AddTask(Markup.Escape(name), maxValue: Math.Max(total, 1e-9)), name, total, unit, quiet);

    public void Log(string message)
    {
        if (log is not null) log(message);
        else if (!quiet) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
    }

    private sealed class ProgressBar : IProgressBar
    {
        private readonly ProgressTask? task;
        private readonly string name;
        private readonly double total;
        private readonly string? unit;
        private readonly bool quiet;
        private int lastPrintedPercent = -1;

        internal ProgressBar(ProgressTask? task, string name, double total, string? unit, bool quiet)
        {
            this.task = task;
            this.name = name;
            this.total = total;
            this.unit = unit;
            this.quiet = quiet;
        }

        /// <param name="value">Absolute progress (same unit as the total).</param>
        /// <param name="metrics">Live metrics shown beside the name, e.g. "loss 3.21 · 2.1k tok/s".</param>
        public void Update(double value, string? metrics = null)
        {
            if (task is not null)
            {
                task.Value = value;
                task.Description = Markup.Escape(metrics is null ? name : $"{name} {metrics}");
                return;
            }
            if (quiet) return;
            int percent = (int)(100 * value / Math.Max(total, 1e-9));
            if (percent / 10 == lastPrintedPercent / 10 && value < total) return;
            lastPrintedPercent = percent;
            string counts = unit is null ? $"{value:G6}/{total:G6}" : $"{value:F1}/{total:F1} {unit}";
            Console.WriteLine($"{name}: {percent,3}% ({counts}) {metrics}");
        }
    }
}
