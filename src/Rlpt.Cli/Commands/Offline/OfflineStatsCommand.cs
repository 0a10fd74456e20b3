using System.ComponentModel;
using System.Text;
using Rlpt.Cli.Infrastructure;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Statistics;
using Rlpt.IO;
using Rlpt.Telemetry;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Offline;

public sealed class OfflineStatsSettings : CommonSettings
{
    [CommandArgument(0, "<DATA>")] [Description("A folder of datasets (from `rlpt offline collect`) or dataset files (.parquet, .hdf5).")] public string[] Data { get; init; } = [];
    [CommandOption("--coverage-reference <NAME>")] [Description("The dataset SACo is relative to. Default: replay.")] [DefaultValue("replay")] public string CoverageReference { get; init; } = "replay";
}

/// <summary>rlpt offline stats: TQ, SACo and return distributions of datasets, as a table, stats.json, stats.md and return histograms (PNG).</summary>
public sealed class OfflineStatsCommand : Command<OfflineStatsSettings>
{
    public override int Execute(CommandContext context, OfflineStatsSettings settings, CancellationToken cancellationToken)
    {
        var files = settings.Data.SelectMany(path => Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(f => EpisodeDatasetFiles.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order()
            : (IEnumerable<string>)[path]).ToList();
        if (files.Count == 0) throw new ArgumentException("no dataset files given (a folder of .parquet / .hdf5 files, or the files).");
        var datasets = files.ToDictionary(f => Path.GetFileNameWithoutExtension(f), EpisodeDatasetFiles.Load);
        var first = datasets.Values.First();
        var references = DatasetMetadata.ReferenceReturns(first);
        bool discrete = first.Metadata.GetValueOrDefault(DatasetMetadata.ActionKind) == "discrete";
        var measures = DatasetStatistics.Measure(datasets, references, datasets.ContainsKey(settings.CoverageReference) ? settings.CoverageReference : null, discrete);
        var run = new RunDirectory(settings.Out ?? (Directory.Exists(settings.Data[0]) ? Path.Combine(settings.Data[0], "stats") : "runs/offline/stats"), settings.Quiet);
        foreach (var (name, dataset) in datasets)
            HistogramPlot.Save(run.File($"returns_{name}.png"), $"episode returns: {name}", "episode return", "episodes", dataset.EpisodeReturns());
        run.WriteJson("stats.json", new { references = references is var (r, e) ? new { random_return = r, expert_return = e } : null, coverage_reference = settings.CoverageReference, datasets = measures });
        var table = Table(measures);
        AtomicFile.WriteAllText(run.File("stats.md"), table);
        Console.Write(table);
        if (references is null) Console.WriteLine("(no reference returns in the datasets' metadata: TQ left out)");
        if (!datasets.ContainsKey(settings.CoverageReference)) Console.WriteLine($"(no '{settings.CoverageReference}' dataset: SACo left out)");
        Console.WriteLine($"stats.json, stats.md and return histograms in {run.Path}");
        return 0;
    }

    private static string Table(IReadOnlyList<DatasetMeasures> measures)
    {
        var text = new StringBuilder("| dataset | transitions | episodes | mean return | std | min | max | TQ | SACo | unique (s, a) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var m in measures)
            text.AppendLine($"| {m.Name} | {m.Transitions:N0} | {m.Episodes:N0} | {m.MeanReturn:F1} | {m.ReturnStd:F1} | {m.MinReturn:F0} | {m.MaxReturn:F0} | {Format(m.TrajectoryQuality)} | {Format(m.StateActionCoverage)} | {m.UniqueStateActions:N0} |");
        return text.ToString();
    }

    private static string Format(double? value) => value is { } v ? v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "–";
}
