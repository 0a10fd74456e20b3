namespace Rlpt.Decision.Offline.Statistics;

/// <summary>A PNG histogram of episode returns (real-valued, possibly negative, unlike Telemetry's token-length histograms).</summary>
public static class ReturnHistogram
{
    public static void Save(string path, string title, IReadOnlyList<double> returns, int bins = 30)
    {
        var plot = new ScottPlot.Plot();
        double min = returns.Min(), max = returns.Max();
        if (max - min < 1e-9) (min, max) = (min - 0.5, max + 0.5);
        double width = (max - min) / bins;
        var counts = new double[bins];
        foreach (var r in returns) counts[Math.Clamp((int)((r - min) / width), 0, bins - 1)]++;
        plot.Add.Bars(Enumerable.Range(0, bins).Select(i => new ScottPlot.Bar { Position = min + (i + 0.5) * width, Value = counts[i], Size = width * 0.9 }).ToArray());
        plot.Title(title);
        plot.XLabel("episode return");
        plot.YLabel("episodes");
        plot.Axes.Margins(bottom: 0);
        Telemetry.PlotFile.SavePng(plot, path);
    }
}
