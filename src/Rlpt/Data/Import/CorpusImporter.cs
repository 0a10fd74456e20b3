using System.Diagnostics;
using System.Text.Json;
using Rlpt.Data.Cleaning;
using Rlpt.Data.Readers;
using Rlpt.Data.Segmentation;
using Rlpt.Data.Store;
using Rlpt.IO;
using Rlpt.Telemetry;
using Rlpt.Tokenization;

namespace Rlpt.Data.Import;

/// <summary>
/// What to import: user documents (read into the report, then fully cleaned) and curated documents such as the
/// default corpora (normalised and deduplicated, but not judged by quality rules meant for web text). Both are
/// functions because a trained tokenizer needs one extra pass over them.
/// </summary>
public sealed record ImportInputs(Func<ImportReport, IEnumerable<Document>> Raw, Func<IEnumerable<Document>>? Curated = null);

public sealed record CorpusImportResult(TokenDatasetMeta Meta, ImportReport Report, IReadOnlyList<ContaminatedDocument> Contaminated, double Seconds, long Bytes);

/// <summary>A training document dropped because it shares an n-gram with an evaluation set.</summary>
public sealed record ContaminatedDocument(string Source, string Name, string SharedNGram);

/// <summary>
/// Raw documents → cleaned → decontaminated → segmented → tokenized → dataset folder, streaming. A tokenizer is
/// trained first on the cleaned training documents unless one is given (that takes one extra read of the inputs).
/// </summary>
public sealed class CorpusImporter(CorpusImportOptions options, IProgressSink progress)
{
    public const string ReportFileName = "import_report.json";

    public CorpusImportResult Import(ImportInputs inputs, string directory, CancellationToken cancellation = default)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var decontamination = LoadEvaluationSets();
        var tokenizer = options.TokenizerPath is not null ? Tokenizer.Load(options.TokenizerPath) : TrainTokenizer(inputs, decontamination, cancellation);

        var report = new ImportReport();
        var contaminated = new List<ContaminatedDocument>();
        long bytes = 0;
        var bar = progress.AddBar("import", 1);
        var stream = Clean(inputs, report, decontamination, contaminated, cancellation);
        var meta = TokenDatasetBuilder.Build(stream, tokenizer, directory, new DatasetBuildOptions
        {
            HeldOutFraction = options.HeldOutFraction,
            Segmenter = Segmenter(tokenizer),
            SegmentationName = options.WindowTokens is int w ? $"token-window-{w}" : options.Segmentation.Unit.ToString().ToLowerInvariant(),
            SourceWeights = options.SourceWeights,
        }, b =>
        {
            bytes += b;
            bar.Update(0, $"{bytes / 1e6:F1} MB, {report.Cleaning.Kept:N0} documents kept, {bytes / 1e6 / clock.Elapsed.TotalSeconds:F1} MB/s");
        });
        bar.Update(1);
        var result = new CorpusImportResult(meta, report, contaminated, clock.Elapsed.TotalSeconds, bytes);
        WriteReport(directory, result);
        return result;
    }

    private IEnumerable<Document> Clean(ImportInputs inputs, ImportReport report, Decontamination? decontamination, List<ContaminatedDocument>? contaminated, CancellationToken cancellation)
    {
        var cleaned = new CleaningPipeline(options.Cleaning, report.Cleaning).Clean(inputs.Raw(report));
        if (inputs.Curated is not null)
            cleaned = cleaned.Concat(new CleaningPipeline(options.Cleaning with { Quality = null }, report.Cleaning).Clean(inputs.Curated()));
        foreach (var document in cleaned)
        {
            cancellation.ThrowIfCancellationRequested();
            // Held-out documents are evaluation data themselves; only training documents are checked.
            if (decontamination is not null && !DocumentSplit.IsHeldOut(document.Text, options.HeldOutFraction)
                && decontamination.FindOverlap(document.Text) is string overlap)
            {
                contaminated?.Add(new ContaminatedDocument(document.Source, document.Name, overlap));
                continue;
            }
            yield return document;
        }
    }

    private Decontamination? LoadEvaluationSets()
    {
        if (options.EvaluationSets.Count == 0) return null;
        var decontamination = new Decontamination(options.DecontaminationN);
        var report = new ImportReport();
        foreach (var document in DocumentReader.Read(options.EvaluationSets, options.Reader, report))
            decontamination.AddEvaluationText(document.Text);
        progress.Log($"decontamination: {decontamination.EvaluationGramCount:N0} {options.DecontaminationN}-grams from {report.Documents:N0} evaluation documents");
        return decontamination;
    }

    private Tokenizer TrainTokenizer(ImportInputs inputs, Decontamination? decontamination, CancellationToken cancellation)
    {
        progress.Log($"training a {options.VocabSize}-token BPE tokenizer on the cleaned training documents");
        long seen = 0;
        var training = Clean(inputs, new ImportReport(), decontamination, null, cancellation)
            .Where(d => !DocumentSplit.IsHeldOut(d.Text, options.HeldOutFraction))
            .TakeWhile(d => (seen += d.Text.Length) <= options.TokenizerTrainingBytes || seen == d.Text.Length);
        return TextDatasetPreparation.TrainTokenizer(training, options.VocabSize);
    }

    private Func<string, IReadOnlyList<(int Start, int End)>> Segmenter(Tokenizer tokenizer)
    {
        if (options.WindowTokens is int window) return text => TokenWindows.Split(text, tokenizer, window);
        return text => Segmentation.Segmenter.Split(text, options.Segmentation).Select(s => (s.Start, s.End)).ToArray();
    }

    private static void WriteReport(string directory, CorpusImportResult result)
    {
        var report = new
        {
            seconds = result.Seconds,
            megabytes = result.Bytes / 1e6,
            megabytes_per_second = result.Bytes / 1e6 / Math.Max(result.Seconds, 1e-9),
            read = result.Report.ToJson(),
            decontaminated = result.Contaminated.Select(c => new { source = c.Source, name = c.Name, shared = c.SharedNGram }),
            dataset = result.Meta,
        };
        AtomicFile.WriteAllText(Path.Combine(directory, ReportFileName), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
    }
}
