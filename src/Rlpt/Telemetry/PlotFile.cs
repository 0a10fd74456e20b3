namespace Rlpt.Telemetry;

/// <summary>Writes a plot as PNG atomically (rendered to a temporary file, then moved), so a report never shows half an image.</summary>
public static class PlotFile
{
    public static void SavePng(ScottPlot.Plot plot, string path, int width = 800, int height = 450)
    {
        var temp = path + ".tmp.png";
        plot.SavePng(temp, width, height);
        File.Move(temp, path, overwrite: true);
    }
}
