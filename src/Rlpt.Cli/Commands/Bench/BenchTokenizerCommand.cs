using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Data;
using Rlpt.Data.Corpora;
using Rlpt.Tokenization;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

public sealed class BenchTokenizerSettings : BenchSettings
{
    [CommandOption("--text <PATH>")] [Description("Text to encode (files, folders, globs; repeatable). Default: the Brown Corpus.")] public string[] Text { get; init; } = [];
    [CommandOption("--tokenizer <FILE>")] [Description("tokenizer.json (default: train one of 4096 tokens on the text).")] public string? Tokenizer { get; init; }
    [CommandOption("--repeats <N>")] [Description("Passes over the text. Default: 3.")] [DefaultValue(3)] public int Repeats { get; init; } = 3;
}

/// <summary>rlpt bench tokenizer: encode throughput in MB/s of UTF-8 input.</summary>
public sealed class BenchTokenizerCommand : Command<BenchTokenizerSettings>
{
    public override int Execute(CommandContext context, BenchTokenizerSettings settings, CancellationToken cancellationToken)
    {
        var documents = settings.Text.Length > 0
            ? TextDocuments.Read(TextDocuments.ResolvePaths(settings.Text)).ToArray()
            : BrownCorpus.Read(BrownCorpus.EnsureDownloaded(BrownCorpus.DefaultCacheDirectory)).ToArray();
        var texts = documents.Select(d => d.Text).ToArray();
        var tokenizer = settings.Tokenizer is not null
            ? Tokenizer.Load(settings.Tokenizer)
            : TextDatasetPreparation.TrainTokenizer(documents, 4096);
        double megabytes = texts.Sum(t => System.Text.Encoding.UTF8.GetByteCount(t)) / 1e6;
        double speed = EncodeBenchmark.MeasureEncodeMegabytesPerSecond(tokenizer, texts, settings.Repeats);
        BenchOutput.Write("tokenizer encode", [new { megabytes, vocab_size = tokenizer.VocabSize, encode_mb_per_second = speed }], settings.Json);
        return 0;
    }
}
