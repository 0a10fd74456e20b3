using System.ComponentModel;
using Rlpt.Benchmarks;
using Rlpt.Cli.Infrastructure;
using Rlpt.Data;
using Rlpt.Data.Corpora;
using Rlpt.Data.Import;
using Rlpt.Data.Readers;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

public sealed class BenchImportSettings : BenchSettings
{
    [CommandOption("--generated-mb <N>")]
    [Description("Also import a generated JSON Lines corpus of this many MB (0 = only the Brown Corpus). Default: 0.")]
    public int GeneratedMegabytes { get; init; }
}

/// <summary>rlpt bench import: corpus import (read, clean, segment, tokenize, write) MB/s and peak memory.</summary>
public sealed class BenchImportCommand : Command<BenchImportSettings>
{
    public override int Execute(CommandContext context, BenchImportSettings settings, CancellationToken cancellationToken)
    {
        var brown = BrownCorpus.Read(BrownCorpus.EnsureDownloaded(BrownCorpus.DefaultCacheDirectory)).ToArray();
        var work = Path.Combine(Path.GetTempPath(), "rlpt-bench-import-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            var rows = new List<object>();
            var options = new CorpusImportOptions();
            rows.Add(Measure("brown", new ImportInputs(_ => [], () => brown), Path.Combine(work, "brown"), options, settings.Quiet));
            if (settings.GeneratedMegabytes > 0)
            {
                var vocabulary = brown.SelectMany(d => d.Text.Split(' ', '\n')).Where(w => w.Length > 1 && w.All(char.IsLetter)).Distinct().ToArray();
                var file = Path.Combine(work, "generated.jsonl");
                SyntheticCorpus.WriteJsonLines(file, vocabulary, settings.GeneratedMegabytes * 1_000_000L);
                rows.Add(Measure($"generated {settings.GeneratedMegabytes} MB", new ImportInputs(report => DocumentReader.Read([file], options.Reader, report)), Path.Combine(work, "generated"), options, settings.Quiet));
            }
            BenchOutput.Write("corpus import (clean + sentence segmentation + tokenization, tokenizer trained first)", rows, settings.Json);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        return 0;
    }

    private static object Measure(string name, ImportInputs inputs, string directory, CorpusImportOptions options, bool quiet)
    {
        var result = ProgressDisplay.Run(quiet, display => new CorpusImporter(options, display).Import(inputs, directory, Interrupt.Token));
        return new
        {
            corpus = name,
            megabytes = result.Bytes / 1e6,
            seconds = result.Seconds,
            megabytes_per_second = result.Bytes / 1e6 / result.Seconds,
            tokens = result.Meta.Train.Tokens + result.Meta.Validation.Tokens,
            peak_resident_megabytes = TrainingBenchmark.PeakResidentBytes() / 1e6,
        };
    }
}
