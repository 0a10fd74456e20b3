using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Data.Store;
using Rlpt.Telemetry;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Corpus;

public sealed class CorpusStatsSettings : CommonSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Dataset folder written by `rlpt corpus import`.")]
    public string? Data { get; init; }
}

/// <summary>rlpt corpus stats: documents, segments and tokens per source, and length histograms as PNG.</summary>
public sealed class CorpusStatsCommand : Command<CorpusStatsSettings>
{
    public override int Execute(CommandContext context, CorpusStatsSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Data is null) throw new ArgumentException("--data is required.");
        using var data = TokenDataset.Open(settings.Data);
        var stats = DatasetStatistics.Compute(data);
        var outDirectory = settings.Out ?? Path.Combine(settings.Data, "stats");
        Directory.CreateDirectory(outDirectory);

        var table = new Table().Border(TableBorder.Simple).Title(Markup.Escape($"{settings.Data} ({data.Meta.Segmentation} segments)"));
        table.AddColumn("source").AddColumn(new TableColumn("weight").RightAligned());
        foreach (var column in new[] { "documents (train/held-out)", "segments", "tokens" }) table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var s in stats.Sources.Append(new SourceInfo { Name = "total", Weight = double.NaN, Train = data.Meta.Train, Validation = data.Meta.Validation }))
            table.AddRow(Markup.Escape(s.Name), double.IsNaN(s.Weight) ? "" : s.Weight.ToString("G3"), $"{s.Train.Documents:N0} / {s.Validation.Documents:N0}",
                $"{s.Train.Segments:N0} / {s.Validation.Segments:N0}", $"{s.Train.Tokens:N0} / {s.Validation.Tokens:N0}");
        AnsiConsole.Write(table);
        Console.WriteLine($"document tokens: median {DatasetStatistics.Quantile(stats.DocumentTokens, 0.5)}, p95 {DatasetStatistics.Quantile(stats.DocumentTokens, 0.95)}; " +
            $"segment tokens: median {DatasetStatistics.Quantile(stats.SegmentTokens, 0.5)}, p95 {DatasetStatistics.Quantile(stats.SegmentTokens, 0.95)}");

        HistogramPlot.Save(Path.Combine(outDirectory, "document_tokens.png"), "Document length", "tokens per document", stats.DocumentTokens);
        HistogramPlot.Save(Path.Combine(outDirectory, "segment_tokens.png"), $"Segment length ({data.Meta.Segmentation})", "tokens per segment", stats.SegmentTokens);
        Console.WriteLine($"plots: {Path.Combine(outDirectory, "document_tokens.png")}, {Path.Combine(outDirectory, "segment_tokens.png")}");
        return 0;
    }
}
