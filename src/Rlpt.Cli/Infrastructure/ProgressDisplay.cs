using Spectre.Console;

namespace Rlpt.Cli.Infrastructure;

/// <summary>
/// Progress bars with ETA and live metrics on a terminal; on a pipe or log (CI) a plain line every few percent
/// instead; nothing with --quiet.
/// </summary>
public sealed class ProgressDisplay
{
    private readonly ProgressContext? context;
    private readonly bool quiet;

    private ProgressDisplay(ProgressContext? context, bool quiet)
    {
        this.context = context;
        this.quiet = quiet;
    }

    public static T Run<T>(bool quiet, Func<ProgressDisplay, T> body)
    {
        if (quiet || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return body(new ProgressDisplay(null, quiet));
        return AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => body(new ProgressDisplay(ctx, quiet)));
    }

    public ProgressBar AddBar(string name, double total) => new(context?.AddTask(Markup.Escape(name), maxValue: Math.Max(total, 1e-9)), name, total, quiet);

    public sealed class ProgressBar
    {
        private readonly ProgressTask? task;
        private readonly string name;
        private readonly double total;
        private readonly bool quiet;
        private int lastPrintedPercent = -1;

        internal ProgressBar(ProgressTask? task, string name, double total, bool quiet)
        {
            this.task = task;
            this.name = name;
            this.total = total;
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
            Console.WriteLine($"{name}: {percent,3}% ({value:G6}/{total:G6}) {metrics}");
        }

        public void Complete(string? metrics = null) => Update(total, metrics);
    }
}
