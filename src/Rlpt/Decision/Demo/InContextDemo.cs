using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rlpt.Decision.Environments;
using Rlpt.Decision.InContext;
using Rlpt.Decision.InContext.Dpt;
using Rlpt.Decision.InContext.Evaluation;
using Rlpt.Decision.Models;
using Rlpt.Telemetry;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Decision.Demo;

/// <summary>
/// The in-context RL demo's choices: DPT on DPT's Dark Room (10 × 10, horizon 100, 80 / 20 goals), sized for a 2-core
/// CPU in under 10 minutes: 20,000 contexts and 3,000 steps of 128, 384,000 sample passes (the reference code: 80,000
/// training contexts for 200 epochs, 16 million), then
/// DPT's offline and online evaluation on the 20 held-out goals. Quick: a 5 × 5 room and a few steps, for tests.
/// </summary>
public sealed record InContextDemoOptions
{
    [JsonPropertyName("environment")] public TaskFamily Environment { get; init; } = new();
    [JsonPropertyName("contexts")] public int Contexts { get; init; } = 20_000;
    [JsonPropertyName("held_out_contexts")] public int HeldOutContexts { get; init; } = 1_000;
    [JsonPropertyName("data_seed")] public int DataSeed { get; init; }
    [JsonPropertyName("training")] public InContextTrainingConfig Training { get; init; } = new() { MaxSteps = 3_000, EvalEvery = 500, SaveEvery = 500 };
    [JsonPropertyName("evaluation")] public DarkRoomEvaluationOptions Evaluation { get; init; } = new();

    public static InContextDemoOptions Quick => new()
    {
        Environment = new TaskFamily { Size = 5, Horizon = 20 },
        Contexts = 500,
        HeldOutContexts = 50,
        Training = new InContextTrainingConfig { MaxSteps = 20, BatchSize = 32, HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 2, WarmupSteps = 2, EvalEvery = 10, SaveEvery = 10 },
        Evaluation = new DarkRoomEvaluationOptions { ContextsPerTask = 2, OnlineEpisodes = 4 },
    };

    public void Validate()
    {
        Environment.Validate();
        if (Environment.IsBandit) throw new ArgumentException("the in-context demo plays Dark Room.");
        if (Contexts < 1 || HeldOutContexts < 1) throw new ArgumentException("contexts and held_out_contexts must be positive.");
        if (Training.Method != "dpt") throw new ArgumentException("the in-context demo trains DPT.");
        Training.Validate();
    }
}

/// <summary>What the demo measured, in the shape `--json` writes (held-out goals).</summary>
public sealed record InContextDemoSummary(
    [property: JsonPropertyName("context_return")] double ContextReturn,
    [property: JsonPropertyName("dpt_offline_return")] double DptOfflineReturn,
    [property: JsonPropertyName("dpt_offline_greedy_return")] double DptOfflineGreedyReturn,
    [property: JsonPropertyName("dpt_online_returns")] double[] DptOnlineReturns,
    [property: JsonPropertyName("optimal_return")] double OptimalReturn);

/// <summary>
/// The demo end to end in one run folder: data/ (contexts), dpt/ (the training run: checkpoints, metrics, model) and
/// eval/ (eval.json, report.md, plots). Rerunning continues where it stopped: existing data is reused, an unfinished
/// training run resumes from its last checkpoint, and a finished one is only evaluated again.
/// </summary>
public sealed class InContextDemo(InContextDemoOptions options, string runDirectory, Device device, IProgressSink progress)
{
    public (DarkRoomResult Result, string ReportPath, double Seconds) Run(CancellationToken cancellation)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var (train, heldOut) = Data();
        var trainingDirectory = Path.Combine(runDirectory, "dpt");
        var modelDirectory = Path.Combine(trainingDirectory, TrainingRun.ModelFolderName);
        if (!Directory.Exists(modelDirectory))
        {
            bool resume = RunCheckpoints.Latest(trainingDirectory) is not null;
            var bar = progress.AddBar("dpt", options.Training.MaxSteps);
            using var algorithm = new DptAlgorithm(options.Training, train, heldOut, device);
            progress.Log($"DPT: {algorithm.Policy.ParameterCount:N0} parameters, {train.Count:N0} contexts of {train.ContextLength} transitions{(resume ? " (resuming)" : "")}");
            var result = new TrainingRun(trainingDirectory)
            {
                Log = progress.Log,
                OnStep = s => bar.Update(s.Step, $"loss {s["loss"]:F3} accuracy {s["accuracy"]:F2}" + (s.Metrics.ContainsKey("eval_loss") ? $" held-out {s["eval_loss"]:F3}" : "")),
            }.Run(algorithm, resume, cancellation);
            if (result.Interrupted) throw new OperationCanceledException("interrupted: rerun the demo to continue from the last checkpoint.");
        }
        using var model = TransitionModelFolder.Open(modelDirectory, device);
        var evaluationBar = progress.AddBar("evaluate", 2 + options.Evaluation.OnlineEpisodes);
        var evaluation = DarkRoomEvaluation.Run(model, options.Evaluation, device, (done, _) => evaluationBar.Update(done));
        var note = $"DPT trained {options.Training.MaxSteps:N0} steps of {options.Training.BatchSize} on {options.Contexts:N0} contexts, " +
            $"{(long)options.Training.MaxSteps * options.Training.BatchSize:N0} sample passes (the reference code: 80,000 contexts for 200 epochs, 16 million), so the figures are a CPU-scale reproduction.";
        var report = InContextReport.Write(Path.Combine(runDirectory, "eval"), evaluation, modelDirectory, note);
        return (evaluation, report, clock.Elapsed.TotalSeconds);
    }

    public static InContextDemoSummary Summarize(DarkRoomResult result) => new(
        result.ContextReturn.Mean, result.OfflineSampled.Mean, result.OfflineGreedy.Mean,
        result.OnlineCurve.Select(c => c.Mean).ToArray(), result.OnlineOptimalReturns.Average());

    /// <summary>Writes <c>{"darkroom": {...}}</c> (the summary of the held-out goals) to a file.</summary>
    public static void WriteJson(string path, DarkRoomResult result) =>
        IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, InContextDemoSummary> { ["darkroom"] = Summarize(result) }, new JsonSerializerOptions { WriteIndented = true }));

    private (TransitionContexts Train, TransitionContexts HeldOut) Data()
    {
        var directory = Path.Combine(runDirectory, "data");
        var trainPath = Path.Combine(directory, TransitionContexts.TrainFile);
        var heldOutPath = Path.Combine(directory, TransitionContexts.HeldOutFile);
        int length = options.Environment.Horizon;
        if (File.Exists(trainPath) && File.Exists(heldOutPath))
        {
            var (train, heldOut) = (TransitionContexts.Load(trainPath), TransitionContexts.Load(heldOutPath));
            if (train.Family == options.Environment && train.Count == options.Contexts && train.ContextLength == length && heldOut.Count == options.HeldOutContexts)
                return (train, heldOut);
            throw new InvalidOperationException($"{directory} holds contexts of other options: choose another --out.");
        }
        progress.Log($"sampling {options.Contexts:N0} + {options.HeldOutContexts:N0} contexts of {length} uniform random transitions");
        var built = ContextSampling.Build(options.Environment, options.Contexts, length, options.DataSeed, heldOut: false);
        var builtHeldOut = ContextSampling.Build(options.Environment, options.HeldOutContexts, length, options.DataSeed, heldOut: true);
        built.Save(trainPath);
        builtHeldOut.Save(heldOutPath);
        return (built, builtHeldOut);
    }
}
