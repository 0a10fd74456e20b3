using System.Globalization;
using System.Text;
using System.Text.Json;
using Rlpt.IO;

namespace Rlpt.Evaluation;

/// <summary>
/// Writes a checkpoint's evaluation as eval.json (every number, including per-item scores) and eval.md (tables),
/// and compares several checkpoints side by side: a Markdown table of headline metrics with intervals, paired
/// differences against the first checkpoint where both scored the same items, and a PNG plot with error bars.
/// </summary>
public static class EvaluationReport
{
    public const string JsonFileName = "eval.json";
    public const string MarkdownFileName = "eval.md";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // An empty evaluation has NaN means; keep them rather than fail.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes eval.json and eval.md into <paramref name="directory"/>.</summary>
    public static void Write(string directory, EvaluationResult result)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, JsonFileName), JsonSerializer.Serialize(result, Json));
        AtomicFile.WriteAllText(Path.Combine(directory, MarkdownFileName), Markdown(result));
    }

    public static EvaluationResult Read(string jsonPath) =>
        JsonSerializer.Deserialize<EvaluationResult>(File.ReadAllText(jsonPath), Json)
        ?? throw new InvalidDataException($"{jsonPath} holds no evaluation result.");

    /// <summary>The headline numbers of a result, in report order.</summary>
    public static IReadOnlyList<ReportMetric> Metrics(EvaluationResult result)
    {
        var metrics = new List<ReportMetric>();
        if (result.NextSegment is { } next)
            metrics.AddRange(next.Kinds.Select(k => new ReportMetric($"next_segment/{k.Kind}/reward", k.Reward, true)));
        if (result.Perplexity is { } perplexity)
        {
            metrics.Add(new ReportMetric("perplexity/loss", perplexity.Loss, false));
            metrics.Add(new ReportMetric("perplexity/perplexity", perplexity.Perplexity, false));
        }
        if (result.Arithmetic is { } arithmetic)
            foreach (var level in arithmetic.Levels)
            {
                metrics.Add(new ReportMetric($"arithmetic/level{level.Level}/pass@1", level.PassAt1, true));
                metrics.AddRange(level.PassAtK.Select(p => new ReportMetric($"arithmetic/level{level.Level}/sampled_{p.Key}", p.Value, true)));
            }
        foreach (var objective in result.Objectives ?? [])
            metrics.AddRange(objective.Metrics.Select(m => new ReportMetric($"{objective.Objective}/{m.Name}", m.Value, m.Score)));
        return metrics;
    }

    public static string Markdown(EvaluationResult result)
    {
        var text = new StringBuilder($"# Evaluation: {result.Name}\n");
        if (result.NextSegment is { } next)
        {
            var functions = next.Kinds.SelectMany(k => k.RewardFunctions.Keys).Distinct().ToArray();
            text.Append($"\n## Next-segment reward\n\n{Describe(next.Decoding)}; intervals are 95% bootstrap over tasks.\n\n");
            Header(text, ["kind", "tasks", "completions", "reward [95% CI]", .. functions, "format_rate", "mean tokens"]);
            foreach (var k in next.Kinds)
                Row(text, [k.Kind, Int(k.Tasks), Int(k.Completions), k.Reward.ToString(), .. functions.Select(f => Number(k.RewardFunctions.GetValueOrDefault(f, double.NaN))), Number(k.FormatRate), Number(k.MeanCompletionTokens)]);
            var failed = next.RewardFailures.Where(f => f.Value > 0).Select(f => $"{f.Key}: {f.Value}").ToArray();
            if (failed.Length > 0) text.Append($"\nUnscored completions — {string.Join(", ", failed)}.\n");
        }
        if (result.Perplexity is { } perplexity)
        {
            text.Append($"\n## Held-out perplexity\n\nFirst {perplexity.Windows} windows of {perplexity.SequenceLength} tokens; intervals are 95% bootstrap over windows.\n\n");
            Header(text, ["windows", "tokens", "loss [95% CI]", "perplexity [95% CI]"]);
            Row(text, [Int(perplexity.Windows), Int(perplexity.Tokens), perplexity.Loss.ToString(), perplexity.Perplexity.ToString()]);
        }
        if (result.Arithmetic is { } arithmetic)
        {
            var ks = arithmetic.Levels.SelectMany(l => l.PassAtK.Keys).Distinct().ToArray();
            text.Append("\n## Arithmetic\n\npass@1 is greedy");
            if (arithmetic.Options.Sampled is { } sampled) text.Append($"; sampled pass@k from {Describe(sampled)}");
            text.Append("; intervals are 95% bootstrap over problems.\n\n");
            Header(text, ["level", "problems", "pass@1 [95% CI]", .. ks.Select(k => $"sampled {k}"), "format_rate"]);
            foreach (var l in arithmetic.Levels)
                Row(text, [Int(l.Level), Int(l.Problems), l.PassAt1.ToString(), .. ks.Select(k => l.PassAtK.TryGetValue(k, out var e) ? e.ToString() : "–"), Number(l.FormatRate)]);
        }
        foreach (var objective in result.Objectives ?? [])
        {
            text.Append($"\n## Objective: {objective.Objective}\n\n{objective.Description}; {Int(objective.Items.Count)} items, intervals are 95% bootstrap over items.\n\n");
            Header(text, ["metric", "mean [95% CI]", "better"]);
            foreach (var m in objective.Metrics) Row(text, [m.Name, m.Value.ToString(), m.HigherIsBetter ? "higher" : "lower"]);
        }
        return text.ToString();
    }

    /// <summary>
    /// Headline metrics of several checkpoints side by side, then each later checkpoint's paired difference from
    /// the first on the items both scored (the same tasks, windows or problems).
    /// </summary>
    public static string Comparison(IReadOnlyList<EvaluationResult> checkpoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpoints.Count, 1, nameof(checkpoints));
        var metrics = checkpoints.Select(c => Metrics(c).ToDictionary(m => m.Name, m => m.Value)).ToArray();
        var names = checkpoints.SelectMany(Metrics).Select(m => m.Name).Distinct().ToArray();
        var text = new StringBuilder("# Checkpoint comparison\n\nMeans with 95% bootstrap intervals.\n\n");
        Header(text, ["metric", .. checkpoints.Select(c => c.Name)]);
        foreach (var name in names)
            Row(text, [name, .. metrics.Select(m => m.TryGetValue(name, out var e) ? e.ToString() : "–")]);

        var baseline = checkpoints[0];
        var differences = checkpoints.Skip(1).SelectMany(c => PairedDifferences(baseline, c).Select(d => (c.Name, d.Metric, d.Value))).ToArray();
        if (differences.Length > 0)
        {
            text.Append($"\n## Paired differences from {baseline.Name}\n\nCheckpoint minus {baseline.Name} on the same items; an interval excluding 0 is a difference the sample supports.\n\n");
            Header(text, ["checkpoint", "metric", "difference [95% CI]"]);
            foreach (var (name, metric, value) in differences) Row(text, [name, metric, value.ToString()]);
        }
        return text.ToString();
    }

    /// <summary>Paired differences (<paramref name="other"/> − <paramref name="baseline"/>) wherever both scored the same items.</summary>
    public static IReadOnlyList<(string Metric, Estimate Value)> PairedDifferences(EvaluationResult baseline, EvaluationResult other)
    {
        var differences = new List<(string, Estimate)>();
        void Add(string metric, IReadOnlyList<double> a, IReadOnlyList<double> b)
        {
            var (mean, low, high) = BootstrapInterval.Difference(a, b);
            differences.Add((metric, new Estimate(mean, low, high)));
        }
        if (baseline.NextSegment is { } n0 && other.NextSegment is { } n1
            && n0.Tasks.Select(t => (t.Kind, t.Document, t.Segment)).SequenceEqual(n1.Tasks.Select(t => (t.Kind, t.Document, t.Segment))))
            Add("next_segment/all/reward", n1.Tasks.Select(t => t.Reward).ToArray(), n0.Tasks.Select(t => t.Reward).ToArray());
        if (baseline.Perplexity is { } p0 && other.Perplexity is { } p1 && p0.SequenceLength == p1.SequenceLength && p0.Windows == p1.Windows)
            Add("perplexity/loss", p1.WindowLosses, p0.WindowLosses);
        if (baseline.Arithmetic is { } a0 && other.Arithmetic is { } a1
            && a0.Problems.Select(p => p.Expression).SequenceEqual(a1.Problems.Select(p => p.Expression)))
            Add("arithmetic/all/pass@1", Correct(a1), Correct(a0));
        foreach (var o0 in baseline.Objectives ?? [])
        {
            if (other.Objectives?.FirstOrDefault(o => o.Objective == o0.Objective) is not { } o1 || !o0.Items.SequenceEqual(o1.Items)) continue;
            foreach (var m0 in o0.Metrics)
                if (o1.Metrics.FirstOrDefault(m => m.Name == m0.Name) is { } m1) Add($"{o0.Objective}/{m0.Name}", m1.PerItem, m0.PerItem);
        }
        return differences;
    }

    /// <summary>A grouped bar plot of the score metrics (rewards, pass rates) of each checkpoint, with 95% error bars.</summary>
    public static void SaveComparisonPlot(string path, IReadOnlyList<EvaluationResult> checkpoints, int width = 1000, int height = 500)
    {
        var metrics = checkpoints.Select(c => Metrics(c).Where(m => m.Score).ToDictionary(m => m.Name, m => m.Value)).ToArray();
        var names = metrics.SelectMany(m => m.Keys).Distinct().ToArray();
        var plot = new ScottPlot.Plot();
        int group = checkpoints.Count + 1;
        for (int c = 0; c < checkpoints.Count; c++)
        {
            var color = ScottPlot.Palette.Default.GetColor(c);
            var shown = names.Select((name, m) => (Estimate: metrics[c].GetValueOrDefault(name), Position: m * group + c)).Where(x => x.Estimate is not null).ToArray();
            var bars = plot.Add.Bars(shown.Select(x => x.Position + 0.0).ToArray(), shown.Select(x => x.Estimate!.Mean).ToArray());
            bars.Color = color;
            var errors = new ScottPlot.Plottables.ErrorBar(
                shown.Select(x => x.Position + 0.0).ToArray(), shown.Select(x => x.Estimate!.Mean).ToArray(),
                xErrorsNegative: null, xErrorsPositive: null,
                yErrorsNegative: shown.Select(x => x.Estimate!.Mean - x.Estimate.Low).ToArray(),
                yErrorsPositive: shown.Select(x => x.Estimate!.High - x.Estimate.Mean).ToArray());
            plot.Add.Plottable(errors);
            plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = checkpoints[c].Name, FillColor = color });
        }
        // Metric names are long ("next_segment/all/reward"): drop the "/reward" suffix, rotate, and reserve room below.
        plot.Axes.Bottom.SetTicks(names.Select((_, m) => m * group + (checkpoints.Count - 1) / 2.0).ToArray(), names.Select(n => n.Replace("/reward", "")).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 140;
        plot.Title("Checkpoint comparison (95% bootstrap intervals)");
        plot.YLabel("score");
        plot.ShowLegend();
        Telemetry.PlotFile.SavePng(plot, path, width, height);
    }

    private static double[] Correct(ArithmeticResult result) => result.Problems.Select(p => p.GreedyCorrect ? 1.0 : 0.0).ToArray();

    private static string Describe(EvaluationDecoding d) => d.Temperature == 0
        ? $"greedy decoding, up to {d.MaxNewTokens} new tokens"
        : FormattableString.Invariant($"{d.Samples} samples per item at temperature {d.Temperature}, top-p {d.TopP}, up to {d.MaxNewTokens} new tokens, seed {d.Seed}");

    private static void Header(StringBuilder text, IReadOnlyList<string> cells)
    {
        Row(text, cells);
        text.Append('|').Append(string.Concat(cells.Select(_ => " --- |"))).Append('\n');
    }

    private static void Row(StringBuilder text, IReadOnlyList<string> cells) =>
        text.Append("| ").Append(string.Join(" | ", cells)).Append(" |\n");

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);
}
