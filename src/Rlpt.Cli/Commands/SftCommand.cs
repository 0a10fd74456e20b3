using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Data.Store;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Objectives.PretrainZero;
using Rlpt.Objectives.Rlpt;
using Rlpt.Training.Runs;
using Rlpt.Training.Sft;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class SftSettings : TrainingSettings
{
    [CommandOption("--model <DIR>")] [Description("Model folder to fine-tune (e.g. OUT/model of a pretrain run).")] public string? Model { get; init; }
    [CommandOption("--data <DIR>")] [Description("Dataset folder: cold-start examples in the --task's format are built from its training split.")] public string? Data { get; init; }
    [CommandOption("--task <NAME>")] [Description("Format the cold-start examples teach: rlpt (reasoning, then the next segment between prediction tags) or pretrainzero (\\mask{} spans and \\boxed{} answers, half each). Default: rlpt.")] [DefaultValue("rlpt")] public string Task { get; init; } = "rlpt";
    [CommandOption("--examples <N>")] [Description("Cold-start examples to build from --data. Default: 2000.")] [DefaultValue(2000)] public int Examples { get; init; } = 2000;
    [CommandOption("--chat <FILE>")] [Description("General SFT instead: JSON Lines of {\"messages\": [[{\"role\", \"content\"}, ...]]}.")] public string? Chat { get; init; }
    [CommandOption("--epochs <N>")] [Description("Default: 3.")] public int? Epochs { get; init; }
    [CommandOption("--batch-size <N>")] [Description("Default: 8.")] public int? BatchSize { get; init; }
    [CommandOption("--learning-rate <LR>")] [Description("Peak learning rate (warm-up, then cosine). Default: 1e-4.")] public double? LearningRate { get; init; }
    [CommandOption("--warmup-steps <N>")] [Description("Default: 10.")] public int? WarmupSteps { get; init; }
    [CommandOption("--max-length <N>")] [Description("Tokens per example; prompts are cut from the left. Default: 512.")] public int? MaxLength { get; init; }
    [CommandOption("--save-every <N>")] [Description("Default: 100.")] public int? SaveEvery { get; init; }
    [CommandOption("--seed <N>")] [Description("Default: 1234.")] public int? Seed { get; init; }
    [CommandOption("--msr-fraction <F>")] [Description("Share of MSR examples in the cold start. Default: 0.5.")] public double? MsrFraction { get; init; }
    [CommandOption("--context-tokens <N>")] [Description("Context budget of RLPT prompts. Default: 384.")] public int? ContextTokens { get; init; }
    [CommandOption("--source <NAME>")] [Description("Build examples only from documents of this source (\"brown\" covers every brown/... category). Default: every source by weight.")] public string? Source { get; init; }
    [CommandOption("--max-target-tokens <N>")] [Description("Longest segment used as a prediction target. Default: 64.")] public int? MaxTargetTokens { get; init; }
}

/// <summary>rlpt sft: completion-only SFT — RLPT's cold start on a dataset, or general chat data.</summary>
public sealed class SftCommand : Command<SftSettings>
{
    public override int Execute(CommandContext context, SftSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new ArgumentException("--model is required.");
        if ((settings.Data is null) == (settings.Chat is null)) throw new ArgumentException("give exactly one of --data DATASET (RLPT cold start) or --chat FILE.jsonl.");
        if (settings.Task is not ("rlpt" or "pretrainzero")) throw new ArgumentException($"--task must be rlpt or pretrainzero (got '{settings.Task}').");
        var config = ConfigBinder.Bind<SftConfig>(settings);
        config.Validate();
        var run = new RunDirectory(settings.Out ?? "runs/sft", settings.Quiet);
        TrainingRun.CheckRunDirectory(run.Path, settings.Resume);
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var (model, tokenizer) = ModelFolder.Load(settings.Model, device);
        using var _ = model;
        IReadOnlyList<SftExample> examples;
        RlptTaskOptions? taskOptions = null;
        if (settings.Chat is not null) examples = ChatSftReader.Read(settings.Chat).ToArray();
        else
        {
            taskOptions = ConfigBinder.Bind<RlptTaskOptions>(settings);
            using var data = TokenDataset.Open(settings.Data!);
            examples = settings.Task == "pretrainzero"
                ? PretrainZeroSftData.Build(PretrainZeroObjective.Passages(data.Train, tokenizer, data.Meta.Sources, taskOptions), tokenizer, new PretrainZeroOptions(), settings.Examples)
                : new RlptTaskSampler(data.Train, tokenizer, data.Meta.Sources, taskOptions).Next(settings.Examples).Select(t => RlptSftData.FromTask(t, taskOptions.Prompts)).ToArray();
        }
        run.WriteConfig(new { command = "sft", model = settings.Model, data = settings.Data, chat = settings.Chat, task = settings.Chat is null ? settings.Task : null, examples = examples.Count, sft = config, tasks = taskOptions });
        run.Log($"{examples.Count} examples, {config.Epochs} epochs");
        var result = ProgressDisplay.Run(settings.Quiet, display =>
        {
            using var algorithm = new SftAlgorithm(config, model, tokenizer, examples, device);
            var bar = display.AddBar("sft", algorithm.MaxSteps);
            return new TrainingRun(run.Path)
            {
                Log = run.Log,
                ReportTo = settings.ReportTo,
                OnStep = s => bar.Update(s.Step, $"loss {s["loss"]:F3} token accuracy {s["mean_token_accuracy"]:F2}"),
            }.Run(algorithm, settings.Resume, Interrupt.Token);
        }, run.Log);
        if (result.Interrupted) return Interrupt.ExitCode;
        Console.WriteLine($"done: {result.Steps} steps, loss {result.Metric("loss"):F3}; model in {result.ModelDirectory}");
        return 0;
    }
}
