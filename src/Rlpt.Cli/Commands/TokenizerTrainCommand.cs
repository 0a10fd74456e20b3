using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Data;
using Rlpt.Data.Store;
using Rlpt.Tokenization;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class TokenizerTrainSettings : CommonSettings
{
    [CommandOption("--text <PATH>")]
    [Description("Training text: .txt/.md/.jsonl/.parquet files (.gz too), folders or globs (repeatable).")]
    public string[] Text { get; init; } = [];

    [CommandOption("--vocab-size <N>")]
    [Description("Vocabulary size including the 256 byte tokens and the special tokens. Default: 4096.")]
    [DefaultValue(4096)]
    public int VocabSize { get; init; } = 4096;
}

/// <summary>rlpt tokenizer train: a byte-level BPE tokenizer saved as a Hugging Face tokenizer.json.</summary>
public sealed class TokenizerTrainCommand : Command<TokenizerTrainSettings>
{
    public override int Execute(CommandContext context, TokenizerTrainSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Text.Length == 0) throw new ArgumentException("--text is required.");
        if (settings.VocabSize < 256 + SpecialTokens.All.Count) throw new ArgumentException($"--vocab-size must be at least {256 + SpecialTokens.All.Count}.");
        var run = new RunDirectory(settings.Out ?? "runs/tokenizer", settings.Quiet);
        var files = TextDocuments.ResolvePaths(settings.Text);
        run.WriteConfig(new { command = "tokenizer train", text = files, vocab_size = settings.VocabSize });
        var started = DateTime.UtcNow;
        var tokenizer = TextDatasetPreparation.TrainTokenizer(TextDocuments.Read(files), settings.VocabSize);
        var path = run.File(TokenDataset.TokenizerFileName);
        tokenizer.Save(path);
        run.Log($"trained {tokenizer.VocabSize} tokens on {files.Count} files in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
        Console.WriteLine($"done: {path}");
        return 0;
    }
}
