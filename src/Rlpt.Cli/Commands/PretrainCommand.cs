using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Data;
using Rlpt.Data.Store;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using Rlpt.Training;
using Rlpt.Training.Pretraining;
using Rlpt.Training.Runs;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class PretrainSettings : TrainingSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Token dataset folder (meta.json, train.bin, val.bin, tokenizer.json), e.g. from `rlpt corpus import`.")]
    public string? Data { get; init; }

    [CommandOption("--text <PATH>")]
    [Description("Text inputs instead of --data: .txt/.md/.jsonl/.parquet files (.gz too), folders or globs (repeatable). Tokenized into OUT/data.")]
    public string[]? Text { get; init; }

    [CommandOption("--tokenizer <FILE>")]
    [Description("tokenizer.json to use with --text (default: train one on the text).")]
    public string? Tokenizer { get; init; }

    [CommandOption("--preset <NAME>")]
    [Description("Model shape: tiny (~3M), small (~11M), gpt2-124m. Default: small.")]
    public string? Preset { get; init; }

    [CommandOption("--model-config <FILE>")]
    [Description("Hugging Face config.json to use instead of a preset.")]
    public string? ModelConfig { get; init; }

    [CommandOption("--init-from <DIR>")] [Description("Continued pretraining: start from this model folder's config and weights instead of a fresh initialisation (the dataset must use its tokenizer).")] public string? InitFrom { get; init; }
    [CommandOption("--max-seconds <S>")] [Description("Time budget in seconds, the summed time of the steps (kept across --resume): stop, evaluate and save once it is spent (0 = none). Default: 0.")] public double? MaxSeconds { get; init; }
    [CommandOption("--max-steps <N>")] [Description("Optimizer steps. Default: 1000.")] public int? MaxSteps { get; init; }
    [CommandOption("--batch-size <N>")] [Description("Sequences per micro-batch. Default: 16.")] public int? BatchSize { get; init; }
    [CommandOption("--sequence-length <N>")] [Description("Tokens per sequence. Default: 256.")] public int? SequenceLength { get; init; }
    [CommandOption("--gradient-accumulation-steps <N>")] [Description("Micro-batches per step. Default: 1.")] public int? GradientAccumulationSteps { get; init; }
    [CommandOption("--learning-rate <LR>")] [Description("Peak learning rate. Default: 1e-3.")] public double? LearningRate { get; init; }
    [CommandOption("--min-learning-rate <LR>")] [Description("Cosine floor. Default: learning rate / 10.")] public double? MinLearningRate { get; init; }
    [CommandOption("--warmup-steps <N>")] [Description("Linear warm-up steps. Default: 50.")] public int? WarmupSteps { get; init; }
    [CommandOption("--weight-decay <W>")] [Description("AdamW decoupled weight decay on matrices. Default: 0.1.")] public double? WeightDecay { get; init; }
    [CommandOption("--max-grad-norm <N>")] [Description("Gradient clipping (0 = off). Default: 1.0.")] public double? MaxGradNorm { get; init; }
    [CommandOption("--eval-every <N>")] [Description("Held-out loss every N steps. Default: 100.")] public int? EvalEvery { get; init; }
    [CommandOption("--eval-batches <N>")] [Description("Held-out micro-batches per evaluation. Default: 10.")] public int? EvalBatches { get; init; }
    [CommandOption("--save-every <N>")] [Description("Checkpoint every N steps. Default: 200.")] public int? SaveEvery { get; init; }
    [CommandOption("--seed <N>")] [Description("Initialisation and data-order seed. Default: 1234.")] public int? Seed { get; init; }
}

/// <summary>rlpt pretrain: next-token pretraining with checkpoints and exact resume.</summary>
public sealed class PretrainCommand : Command<PretrainSettings>
{
    public override int Execute(CommandContext context, PretrainSettings settings, CancellationToken cancellationToken)
    {
        var run = new RunDirectory(settings.Out ?? "runs/pretrain", settings.Quiet);
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var training = ConfigBinder.Bind<PretrainConfig>(settings);
        training.Validate();
        TrainingRun.CheckRunDirectory(run.Path, settings.Resume);
        using var data = OpenData(settings, run);
        var tokenizer = data.LoadTokenizer();
        var modelConfig = settings.InitFrom is null ? ResolveModel(settings.Preset, settings.ModelConfig, tokenizer) : InitialModel(settings, tokenizer);
        run.WriteConfig(new { command = "pretrain", data = data.Directory, init_from = settings.InitFrom, device = settings.Device, threads = settings.Threads, model = modelConfig, training });
        run.Log($"model: {modelConfig.ModelType}, {modelConfig.ParameterCount / 1e6:F1}M parameters; data: {data.Meta.Train.Tokens:N0} train / {data.Meta.Validation.Tokens:N0} held-out tokens");

        var result = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar("pretrain", training.MaxSteps);
            using var algorithm = new PretrainAlgorithm(training, modelConfig, data, tokenizer, device, initializeFrom: settings.InitFrom);
            return new TrainingRun(run.Path)
            {
                Log = run.Log,
                ReportTo = settings.ReportTo,
                OnStep = s => bar.Update(s.Step,
                    $"loss {s["loss"]:F3}" + (s.Metrics.ContainsKey("val_loss") ? $" val {s["val_loss"]:F3}" : "") + $" lr {s["lr"]:G2} {s["tokens_per_second"] / 1000:F1}k tok/s"),
            }.Run(algorithm, settings.Resume, Interrupt.Token);
        });
        if (result.Interrupted)
        {
            run.Log($"interrupted at step {result.Steps}: checkpoint saved; continue with --resume.");
            return Interrupt.ExitCode;
        }
        Console.WriteLine($"done: {result.Steps} steps, loss {result.Metric("loss"):F3}, held-out loss {result.Metric("val_loss"):F3} (perplexity {Math.Exp(result.Metric("val_loss")):F1}); model in {result.ModelDirectory}");
        return 0;
    }

    private static TokenDataset OpenData(PretrainSettings settings, RunDirectory run)
    {
        if ((settings.Data is null) == (settings.Text is null)) throw new ArgumentException("give exactly one of --data DIR or --text PATH.");
        if (settings.Data is not null) return TokenDataset.Open(settings.Data);
        var dataDirectory = run.File("data");
        if (settings.Resume && File.Exists(Path.Combine(dataDirectory, TokenDataset.MetaFileName))) return TokenDataset.Open(dataDirectory);
        var files = TextDocuments.ResolvePaths(settings.Text!);
        int vocabulary = settings.ModelConfig is not null ? Modeling.ModelConfig.Load(settings.ModelConfig).VocabSize : ModelPresets.Get(settings.Preset ?? "small").VocabSize;
        var tokenizer = settings.Tokenizer is not null ? Tokenizer.Load(settings.Tokenizer) : TextDatasetPreparation.TrainTokenizer(TextDocuments.Read(files), vocabulary);
        run.Log($"tokenizing {files.Count} files into {dataDirectory}");
        TokenDatasetBuilder.Build(TextDocuments.Read(files), tokenizer, dataDirectory, new DatasetBuildOptions());
        return TokenDataset.Open(dataDirectory);
    }

    /// <summary>The starting model's shape; its vocabulary must cover the dataset's tokenizer.</summary>
    private static ModelConfig InitialModel(PretrainSettings settings, Tokenizer tokenizer)
    {
        if (settings.Preset is not null || settings.ModelConfig is not null) throw new ArgumentException("--init-from takes the model's own shape; do not give --preset or --model-config with it.");
        var config = Modeling.ModelConfig.Load(Path.Combine(settings.InitFrom!, ModelFolder.ConfigFile));
        var own = Path.Combine(settings.InitFrom!, ModelFolder.TokenizerFile);
        if (File.Exists(own) && Tokenizer.Load(own) is var modelTokenizer
            && (modelTokenizer.VocabSize != tokenizer.VocabSize || Enumerable.Range(0, tokenizer.VocabSize).Any(id => modelTokenizer.IdToToken(id) != tokenizer.IdToToken(id))))
            throw new ArgumentException($"{settings.InitFrom} was trained with another tokenizer than the dataset's; tokenize the corpus with the model's tokenizer.json.");
        if (config.VocabSize < tokenizer.VocabSize)
            throw new ArgumentException($"{settings.InitFrom}: vocab_size {config.VocabSize} is smaller than the dataset tokenizer's {tokenizer.VocabSize}.");
        return config;
    }

    /// <summary>A preset takes the tokenizer's vocabulary; an explicit config.json must already fit it.</summary>
    internal static ModelConfig ResolveModel(string? preset, string? configPath, Tokenizer tokenizer)
    {
        if (preset is not null && configPath is not null) throw new ArgumentException("give --preset or --model-config, not both.");
        if (configPath is not null)
        {
            var config = Modeling.ModelConfig.Load(configPath);
            if (config.VocabSize < tokenizer.VocabSize)
                throw new ArgumentException($"{configPath}: vocab_size {config.VocabSize} is smaller than the tokenizer's {tokenizer.VocabSize}.");
            return config;
        }
        return ModelPresets.Get(preset ?? "small") with { VocabSize = tokenizer.VocabSize };
    }
}
