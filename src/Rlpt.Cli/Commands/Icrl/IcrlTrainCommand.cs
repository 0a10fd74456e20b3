using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Decision.InContext;
using Rlpt.Decision.InContext.Ad;
using Rlpt.Decision.InContext.Dpt;
using Rlpt.Decision.InContext.Lhf;
using Rlpt.Modeling;
using Rlpt.Training.Runs;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Icrl;

public sealed class IcrlTrainSettings : TrainingSettings
{
    [CommandOption("--data <DIR>")] [Description("Folder from `rlpt icrl data` (train.safetensors, held_out.safetensors).")] public string? Data { get; init; }
    [CommandOption("--method <NAME>")] [Description("dpt (Decision-Pretrained Transformer) or ad (Algorithm Distillation). Default: dpt.")] public string? Method { get; init; }
    [CommandOption("--sequence-length <N>")] [Description("AD: steps per training window. Default: 80.")] public int? SequenceLength { get; init; }
    [CommandOption("--history-filter <NAME>")] [Description("AD: none, or lhf (learning-history filtering). Default: none.")] public string? HistoryFilter { get; init; }
    [CommandOption("--lhf-lambda <L>")] [Description("LHF: weight of stability against improvement. Default: 1.")] public double? LhfLambda { get; init; }
    [CommandOption("--max-steps <N>")] [Description("Optimizer steps. Default: 2000.")] public int? MaxSteps { get; init; }
    [CommandOption("--batch-size <N>")] [Description("Contexts per step. Default: 128.")] public int? BatchSize { get; init; }
    [CommandOption("--learning-rate <LR>")] [Description("Peak learning rate (warm-up, then cosine). Default: 1e-3.")] public double? LearningRate { get; init; }
    [CommandOption("--warmup-steps <N>")] [Description("Default: 50.")] public int? WarmupSteps { get; init; }
    [CommandOption("--weight-decay <W>")] [Description("AdamW weight decay. Default: 1e-4.")] public double? WeightDecay { get; init; }
    [CommandOption("--max-grad-norm <N>")] [Description("Gradient clipping (0 = off). Default: 1.0.")] public double? MaxGradNorm { get; init; }
    [CommandOption("--hidden-size <N>")] [Description("Embedding width. Default: 32.")] public int? HiddenSize { get; init; }
    [CommandOption("--num-hidden-layers <N>")] [Description("Default: 4.")] public int? NumHiddenLayers { get; init; }
    [CommandOption("--num-attention-heads <N>")] [Description("Default: 4.")] public int? NumAttentionHeads { get; init; }
    [CommandOption("--eval-every <N>")] [Description("Held-out loss every N steps (0 = at the end). Default: 200.")] public int? EvalEvery { get; init; }
    [CommandOption("--save-every <N>")] [Description("Checkpoint every N steps. Default: 500.")] public int? SaveEvery { get; init; }
    [CommandOption("--seed <N>")] [Description("Initialisation and data-order seed. Default: 1234.")] public int? Seed { get; init; }
}

/// <summary>rlpt icrl train: pretrain an in-context learner (DPT on contexts, AD on learning histories) from `rlpt icrl data`.</summary>
public sealed class IcrlTrainCommand : Command<IcrlTrainSettings>
{
    public override int Execute(CommandContext context, IcrlTrainSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Data is null) throw new ArgumentException("--data is required (a folder from `rlpt icrl data`).");
        var config = ConfigBinder.Bind<InContextTrainingConfig>(settings);
        config.Validate();
        var run = new RunDirectory(settings.Out ?? $"runs/icrl/{config.Method}", settings.Quiet);
        TrainingRun.CheckRunDirectory(run.Path, settings.Resume);
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var result = ProgressDisplay.Run(settings.Quiet, display =>
        {
            using var algorithm = Create(config, settings.Data, run);
            var bar = display.AddBar(config.Method, config.MaxSteps);
            return new TrainingRun(run.Path)
            {
                Log = run.Log,
                ReportTo = settings.ReportTo,
                OnStep = s => bar.Update(s.Step, $"loss {s["loss"]:F3} accuracy {s["accuracy"]:F2}" + (s.Metrics.ContainsKey("eval_loss") ? $" held-out {s["eval_loss"]:F3}" : "")),
            }.Run(algorithm, settings.Resume, Interrupt.Token);
        }, run.Log);
        if (result.Interrupted) return Interrupt.ExitCode;
        Console.WriteLine($"done: {result.Steps} steps, loss {result.Metric("loss"):F3}, held-out loss {result.Metric("eval_loss"):F3}; model in {result.ModelDirectory}");
        return 0;

        InContextTrainer Create(InContextTrainingConfig config, string data, RunDirectory run)
        {
            if (config.Method == "dpt")
            {
                if (config.HistoryFilter != "none") throw new ArgumentException("--history-filter applies to AD's learning histories, not DPT's contexts.");
                var train = TransitionContexts.Load(Path.Combine(data, TransitionContexts.TrainFile));
                var heldOutPath = Path.Combine(data, TransitionContexts.HeldOutFile);
                var heldOut = File.Exists(heldOutPath) ? TransitionContexts.Load(heldOutPath) : null;
                run.WriteConfig(new { command = "icrl train", data, environment = train.Family, contexts = train.Count, context_length = train.ContextLength, training = config });
                var dpt = new DptAlgorithm(config, train, heldOut, device);
                run.Log($"DPT on {train.Family.Name}: {dpt.Policy.ParameterCount:N0} parameters, {train.Count:N0} contexts of {train.ContextLength}");
                return dpt;
            }
            var histories = LearningHistories.Load(Path.Combine(data, LearningHistories.TrainFile));
            var heldOutHistoriesPath = Path.Combine(data, LearningHistories.HeldOutFile);
            var heldOutHistories = File.Exists(heldOutHistoriesPath) ? LearningHistories.Load(heldOutHistoriesPath) : null;
            if (config.HistoryFilter == "lhf") histories = HistoryFiltering.Filter(histories, config.LhfLambda, config.Seed);
            run.WriteConfig(new { command = "icrl train", data, environment = histories.Family, source = histories.Source, histories = histories.Count, episodes = histories.Episodes, training = config });
            var ad = new AdAlgorithm(config, histories, heldOutHistories, device);
            run.Log($"AD on {histories.Family.Name}: {ad.Policy.ParameterCount:N0} parameters, {histories.Count:N0} histories of {histories.Length} steps ({histories.Source}, filter {config.HistoryFilter})");
            return ad;
        }
    }
}
