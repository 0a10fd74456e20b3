namespace Rlpt.Telemetry;

/// <summary>One named curve of a line plot.</summary>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>PNG line plots for reports (ScottPlot, rendered off-screen).</summary>
public static class LinePlot
{
    public static void Save(string path, string title, string xLabel, string yLabel, IEnumerable<Series> series, int width = 800, int height = 450)
    {
        var plot = new ScottPlot.Plot();
        foreach (var s in series.Where(s => s.X.Count > 0))
        {
            var line = plot.Add.Scatter(s.X.ToArray(), s.Y.ToArray());
            line.LegendText = s.Name;
            line.MarkerSize = s.X.Count > 50 ? 0 : 4;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend();
        PlotFile.SavePng(plot, path, width, height);
    }
}
