using System.Text.Json.Nodes;
using Rlpt.Modeling;
using Rlpt.Telemetry;
using Rlpt.Tokenization;
using Rlpt.Training;
using Rlpt.Training.Runs;
using Rlpt.Training.Sft;
using Rlpt.Tests.Training.Rl;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Runs;

public sealed class TrainingRunTests
{
    /// <summary>Counts steps in its state; its loss turns NaN at one step (unless healed), like a diverging run.</summary>
    private sealed class Counting(CausalLM policy, Tokenizer tokenizer, int maxSteps, int saveEvery) : ITrainingAlgorithm
    {
        public int NanAtStep { get; set; } = -1;
        /// <summary>At this step a signal arrives mid-step: the step throws, its state untouched, as GRPO's rollouts do.</summary>
        public int CancelAtStep { get; set; } = -1;
        public CancellationTokenSource Signal { get; } = new();
        public int Counter { get; private set; }
        public string Name => "counting";
        public int MaxSteps => maxSteps;
        public SavePolicy Saving => new(saveEvery, 2);
        public ITrainedModel Model => new LanguageModelFolder(policy, tokenizer);
        public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();
        public IReadOnlyDictionary<string, AdamW> Optimizers { get; } = new Dictionary<string, AdamW>();
        public JsonObject SaveState() => new() { ["counter"] = Counter };
        public void RestoreState(JsonObject state) => Counter = state["counter"]!.GetValue<int>();
        public StepOutcome Step(int step, StepContext context)
        {
            if (step + 1 == CancelAtStep) Signal.Cancel();
            context.Cancellation.ThrowIfCancellationRequested();
            Counter++;
            return new StepOutcome(new Dictionary<string, object> { ["counter"] = Counter }, step + 1 == NanAtStep ? double.NaN : 1.0);
        }
        public void Dispose() { }
    }

    [Fact]
    public void NonFiniteLossStopsTheRunKeepsTheLastCheckpointAndResumeWritesEachStepOnce()
    {
        using var dir = new TestDirectory();
        var (model, tokenizer) = GrpoLearningTests.TinyPolicy();
        using var _ = model;
        var run = new TrainingRun(dir.Path);
        var diverging = new Counting(model, tokenizer, maxSteps: 6, saveEvery: 2) { NanAtStep = 5 };
        var error = Assert.Throws<InvalidOperationException>(() => run.Run(diverging, resume: false));
        Assert.Contains("step 5", error.Message);
        Assert.EndsWith("step-0000004", RunCheckpoints.Latest(dir.Path));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, TrainingRun.ModelFolderName)), "a diverged run must not export a model");

        var healed = new Counting(model, tokenizer, maxSteps: 6, saveEvery: 2);
        Assert.Equal(6, run.Run(healed, resume: true).Steps);
        Assert.Equal(6, healed.Counter);
        var metrics = MetricsWriter.Read(Path.Combine(dir.Path, MetricsWriter.FileName));
        Assert.Equal([1, 2, 3, 4, 5, 6], metrics.Select(m => m["step"].GetInt32()));
        Assert.Equal([1, 2, 3, 4, 5, 6], metrics.Select(m => m["counter"].GetInt32()));
    }

    [Fact]
    public void AStepStoppedPartWayBySignalCheckpointsTheLastWholeStepAndResumeGoesOn()
    {
        using var dir = new TestDirectory();
        var (model, tokenizer) = GrpoLearningTests.TinyPolicy();
        using var _ = model;
        var stopped = new Counting(model, tokenizer, maxSteps: 6, saveEvery: 0) { CancelAtStep = 4 };
        var result = new TrainingRun(dir.Path).Run(stopped, resume: false, stopped.Signal.Token);
        Assert.True(result.Interrupted);
        Assert.Equal(3, result.Steps);
        Assert.EndsWith("step-0000003", RunCheckpoints.Latest(dir.Path));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, TrainingRun.ModelFolderName)), "an interrupted run must not export a model");

        var resumed = new Counting(model, tokenizer, maxSteps: 6, saveEvery: 0);
        Assert.Equal(6, new TrainingRun(dir.Path).Run(resumed, resume: true).Steps);
        Assert.Equal(6, resumed.Counter);
        Assert.Equal([1, 2, 3, 4, 5, 6], MetricsWriter.Read(Path.Combine(dir.Path, MetricsWriter.FileName)).Select(m => m["counter"].GetInt32()));
    }

    [Fact]
    public void AHalfWrittenCheckpointOfAKilledSaveIsNotResumedAndIsClearedByTheNextSave()
    {
        using var dir = new TestDirectory();
        var (model, tokenizer) = GrpoLearningTests.TinyPolicy();
        using var _ = model;
        // What SIGKILL during the first save leaves: a temporary folder, half written, and no complete checkpoint.
        var stale = Directory.CreateDirectory(Path.Combine(dir.Path, RunCheckpoints.Folder, ".tmp-killed00")).FullName;
        File.WriteAllText(Path.Combine(stale, "model.safetensors"), "half");
        Assert.Null(RunCheckpoints.Latest(dir.Path));
        var error = Assert.Throws<InvalidOperationException>(() => new TrainingRun(dir.Path).Run(new Counting(model, tokenizer, 2, 1), resume: true));
        Assert.Contains("no checkpoint", error.Message);

        new TrainingRun(dir.Path).Run(new Counting(model, tokenizer, 2, 1), resume: false);
        Assert.False(Directory.Exists(stale));
        Assert.EndsWith("step-0000002", RunCheckpoints.Latest(dir.Path));
    }

    [Fact]
    public void ACheckpointOfAnotherAlgorithmIsRefused()
    {
        using var dir = new TestDirectory();
        var (model, tokenizer) = GrpoLearningTests.TinyPolicy();
        using var _ = model;
        new TrainingRun(dir.Path).Run(new Counting(model, tokenizer, 2, 0), resume: false);
        using var sft = new SftAlgorithm(new SftConfig { Epochs = 1, BatchSize = 2 }, model, tokenizer, [new SftExample("the cat", " sat")], CPU);
        var error = Assert.Throws<InvalidDataException>(() => new TrainingRun(dir.Path).Run(sft, resume: true));
        Assert.Contains("counting", error.Message);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 2)]
    public void EveryConfigRejectsSavePoliciesThatWouldLoseCheckpoints(int keep, int every)
    {
        Assert.Throws<ArgumentException>(() => new SftConfig { SaveTotalLimit = keep, SaveEvery = every }.Validate());
        Assert.Throws<ArgumentException>(() => new Rlpt.Training.Pretraining.PretrainConfig { SaveTotalLimit = keep, SaveEvery = every }.Validate());
        Assert.Throws<ArgumentException>(() => new Rlpt.Training.Rl.GrpoConfig { SaveTotalLimit = keep, SaveEvery = every }.Validate());
    }
}
