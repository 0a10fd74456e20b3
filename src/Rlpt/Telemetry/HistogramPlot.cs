namespace Rlpt.Telemetry;

/// <summary>PNG histograms for reports: counts (token lengths) with log-spaced bins when they span orders of magnitude, or real values (returns, possibly negative) in equal bins.</summary>
public static class HistogramPlot
{
    public static void Save(string path, string title, string xLabel, IReadOnlyList<int> values, int bins = 40)
    {
        var plot = new ScottPlot.Plot();
        if (values.Count > 0)
        {
            double min = Math.Max(1, values.Min()), max = Math.Max(min + 1, values.Max());
            bool logarithmic = max / min > 50;
            // Integer-valued data: bin edges on whole numbers, so no bin is empty merely for holding no integer.
            var edges = Enumerable.Range(0, bins + 1)
                .Select(i => Math.Round(logarithmic ? min * Math.Pow(max / min, (double)i / bins) : min + (max - min) * i / bins))
                .Append(max + 1).Distinct().Order().ToArray();
            bins = edges.Length - 1;
            var counts = new double[bins];
            foreach (var v in values)
            {
                int bin = Array.BinarySearch(edges, (double)v);
                bin = bin >= 0 ? bin : ~bin - 1;
                counts[Math.Clamp(bin, 0, bins - 1)]++;
            }
            var bars = Enumerable.Range(0, bins).Select(i => new ScottPlot.Bar
            {
                Position = logarithmic ? Math.Log10(Math.Sqrt(edges[i] * edges[i + 1])) : (edges[i] + edges[i + 1]) / 2,
                Value = counts[i],
                Size = logarithmic ? Math.Log10(edges[i + 1] / edges[i]) * 0.9 : (edges[i + 1] - edges[i]) * 0.9,
            }).ToArray();
            plot.Add.Bars(bars);
            if (logarithmic)
            {
                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
                {
                    LabelFormatter = x => Math.Pow(10, x).ToString("G3", System.Globalization.CultureInfo.InvariantCulture),
                };
                xLabel += " (log scale)";
            }
        }
        Finish(plot, path, title, xLabel, "count");
    }

    public static void Save(string path, string title, string xLabel, string yLabel, IReadOnlyList<double> values, int bins = 30)
    {
        var plot = new ScottPlot.Plot();
        if (values.Count > 0)
        {
            double min = values.Min(), max = values.Max();
            if (max - min < 1e-9) (min, max) = (min - 0.5, max + 0.5);
            double width = (max - min) / bins;
            var counts = new double[bins];
            foreach (var v in values) counts[Math.Clamp((int)((v - min) / width), 0, bins - 1)]++;
            plot.Add.Bars(Enumerable.Range(0, bins).Select(i => new ScottPlot.Bar { Position = min + (i + 0.5) * width, Value = counts[i], Size = width * 0.9 }).ToArray());
            plot.Axes.Margins(bottom: 0);
        }
        Finish(plot, path, title, xLabel, yLabel);
    }

    private static void Finish(ScottPlot.Plot plot, string path, string title, string xLabel, string yLabel)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        PlotFile.SavePng(plot, path, 800, 450);
    }
}
