using System.Diagnostics;
using System.Text.Json;
using Rlpt.Data.Corpora;
using Rlpt.Data.Corpora.Arithmetic;
using Rlpt.Data.Import;
using Rlpt.Data.Store;
using Rlpt.Evaluation;
using Rlpt.Generation;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Objectives;
using Rlpt.Objectives.Rlpt;
using Rlpt.Rewards;
using Rlpt.Telemetry;
using Rlpt.Tokenization;
using Rlpt.Training;
using Rlpt.Training.Pretraining;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using Rlpt.Training.Sft;
using static TorchSharp.torch;

namespace Rlpt.Demo;

public sealed record DemoResult(IReadOnlyList<EvaluationResult> Evaluations, double Seconds, IReadOnlyList<(string Prompt, string Completion)> Samples, string ReportPath);

/// <summary>
/// The end-to-end path on the default corpora: import (Brown Corpus + arithmetic documents) → pretraining →
/// cold-start SFT → RLPT with GRPO → a control that continues next-token pretraining from the cold start for the
/// same wall-clock time → evaluation of cold start, RLPT and control → report. Every stage leaves its output in
/// the run folder and is reused on a re-run; an interrupted training stage resumes from its checkpoint.
/// </summary>
public sealed class DemoPipeline(DemoOptions options, string runDirectory, Device device, IProgressSink progress)
{
    private const string StageRecordFile = "stage.json";

    private string Stage(string name) => Path.Combine(runDirectory, name);

    /// <summary>
    /// The stage's folder, emptied first when it was made from other inputs. Each stage records the options it depends
    /// on together with its upstream stage's record, so a changed option redoes that stage and every stage after it,
    /// and a re-run with the same options reuses (or resumes) all of them.
    /// </summary>
    /// <returns>The stage's record, for the stages that depend on it.</returns>
    private string Prepare(string stage, object inputs)
    {
        var record = JsonSerializer.Serialize(inputs);
        var path = Path.Combine(stage, StageRecordFile);
        if (Directory.Exists(stage) && (!File.Exists(path) || File.ReadAllText(path) != record))
        {
            progress.Log($"{Path.GetFileName(stage)}: made with other options than these; redoing it");
            Directory.Delete(stage, recursive: true);
        }
        Directory.CreateDirectory(stage);
        if (!File.Exists(path)) IO.AtomicFile.WriteAllText(path, record);
        return record;
    }
    private static bool Done(string stage, string file = ModelFolder.WeightsFile) => File.Exists(Path.Combine(stage, "model", file));

    public DemoResult Run(CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(runDirectory);
        var dataDirectory = Stage("data");
        var dataRecord = Prepare(dataDirectory, new { options.ArithmeticDocuments, options.VocabSize, options.Seed });
        if (!File.Exists(Path.Combine(dataDirectory, TokenDataset.MetaFileName)))
        {
            progress.Log($"importing the default corpora: Brown Corpus + {options.ArithmeticDocuments:N0} arithmetic documents");
            var corpusFolder = BrownCorpus.EnsureDownloaded(BrownCorpus.DefaultCacheDirectory);
            var curated = () => BrownCorpus.Read(corpusFolder).Concat(ArithmeticDocuments.Generate(new ArithmeticCorpusOptions { Count = options.ArithmeticDocuments, Seed = options.Seed }));
            new CorpusImporter(new CorpusImportOptions { VocabSize = options.VocabSize }, progress).Import(new ImportInputs(_ => [], curated), dataDirectory, cancellation);
            // The importer replaces the folder, record included; without it every re-run would import again.
            IO.AtomicFile.WriteAllText(Path.Combine(dataDirectory, StageRecordFile), dataRecord);
        }
        using var data = TokenDataset.Open(dataDirectory);
        var tokenizer = data.LoadTokenizer();

        var (pretrained, pretrainRecord) = Pretrain(data, tokenizer, dataRecord, cancellation);
        var (coldStart, coldStartRecord) = ColdStart(pretrained, data, tokenizer, pretrainRecord, cancellation);
        var (rlSeconds, rlptRecord) = Rlpt(coldStart, data, tokenizer, coldStartRecord, cancellation);
        var (control, controlRecord) = Control(coldStart, data, tokenizer, rlSeconds, rlptRecord, cancellation);

        var rewards = RewardRegistry.Compose(options.Rewards);
        var evaluations = new List<EvaluationResult>();
        foreach (var (name, folder, record) in new[] { ("cold-start", coldStart, coldStartRecord), ("rlpt", Path.Combine(Stage("rlpt"), "model"), rlptRecord), ("control", control, controlRecord) })
            evaluations.Add(Evaluate(name, folder, record, data, rewards, cancellation));

        var samples = Sample(pretrained);
        var report = DemoReport.Write(runDirectory, options, data.Meta, evaluations, samples, clock.Elapsed.TotalSeconds);
        return new DemoResult(evaluations, clock.Elapsed.TotalSeconds, samples, report);
    }

    private (string Model, string Record) Pretrain(TokenDataset data, Tokenizer tokenizer, string dataRecord, CancellationToken cancellation)
    {
        var stage = Stage("pretrain");
        var record = Prepare(stage, new { data = dataRecord, options.Preset, options.Pretrain });
        if (!Done(stage))
        {
            var modelConfig = ModelPresets.Get(options.Preset) with { VocabSize = tokenizer.VocabSize };
            bool resume = RunCheckpoints.Latest(stage) is not null;
            progress.Log(resume ? "resuming pretraining" : $"pretraining the {options.Preset} preset ({modelConfig.ParameterCount / 1e6:F1}M parameters)");
            var bar = progress.AddBar("pretrain", options.Pretrain.MaxSteps);
            using var algorithm = new PretrainAlgorithm(options.Pretrain, modelConfig, data, tokenizer, device);
            var outcome = new TrainingRun(stage)
            {
                Log = progress.Log,
                OnStep = s => bar.Update(s.Step, $"loss {s["loss"]:F3}" + (s.Metrics.ContainsKey("val_loss") ? $" val {s["val_loss"]:F3}" : "") + $" {s["tokens_per_second"] / 1000:F1}k tok/s"),
            }.Run(algorithm, resume, cancellation);
            Interrupted(outcome.Interrupted, "pretraining");
        }
        return (Path.Combine(stage, "model"), record);
    }

    private (string Model, string Record) ColdStart(string pretrained, TokenDataset data, Tokenizer tokenizer, string pretrainRecord, CancellationToken cancellation)
    {
        var stage = Stage("sft");
        var record = Prepare(stage, new { pretrain = pretrainRecord, options.Tasks, options.SftExamples, options.Sft });
        if (!Done(stage))
        {
            progress.Log($"cold-start SFT on {options.SftExamples} RLPT examples (the answer format)");
            var sampler = new RlptTaskSampler(data.Train, tokenizer, data.Meta.Sources, options.Tasks);
            var examples = sampler.Next(options.SftExamples).Select(t => RlptSftData.FromTask(t, options.Tasks.Prompts)).ToArray();
            var (model, _) = ModelFolder.Load(pretrained, device);
            using (model)
            {
                using var algorithm = new SftAlgorithm(options.Sft, model, tokenizer, examples, device);
                var bar = progress.AddBar("cold-start sft", algorithm.MaxSteps);
                var outcome = new TrainingRun(stage)
                {
                    Log = progress.Log,
                    OnStep = s => bar.Update(s.Step, $"loss {s["loss"]:F3} token accuracy {s["mean_token_accuracy"]:F2}"),
                }.Run(algorithm, RunCheckpoints.Latest(stage) is not null, cancellation);
                Interrupted(outcome.Interrupted, "cold-start SFT");
            }
        }
        return (Path.Combine(stage, "model"), record);
    }

    /// <returns>Seconds the RL stage's steps took (the control gets the same budget).</returns>
    private (double Seconds, string Record) Rlpt(string coldStart, TokenDataset data, Tokenizer tokenizer, string coldStartRecord, CancellationToken cancellation)
    {
        var stage = Stage("rlpt");
        var record = Prepare(stage, new { sft = coldStartRecord, options.Grpo, options.Rewards });
        if (!Done(stage))
        {
            progress.Log($"RLPT with GRPO: {options.Grpo.MaxSteps} steps × {options.Grpo.PromptsPerStep} prompts × {options.Grpo.NumGenerations} completions");
            var (policy, _) = ModelFolder.Load(coldStart, device);
            using (policy)
            {
                var sampler = new RlptTaskSampler(data.Train, tokenizer, data.Meta.Sources, options.Tasks with { Seed = options.Tasks.Seed + 1 });
                var bar = progress.AddBar("rlpt", options.Grpo.MaxSteps);
                using var objective = new RlptObjective(sampler, tokenizer, RewardRegistry.Compose(options.Rewards), progress.Log);
                using var algorithm = new GrpoAlgorithm(options.Grpo, policy, tokenizer, objective, device);
                var outcome = new TrainingRun(stage)
                {
                    Log = progress.Log,
                    OnStep = s => bar.Update(s.Step, RlProgress.Describe(s)),
                }.Run(algorithm, RunCheckpoints.Latest(stage) is not null, cancellation);
                Interrupted(outcome.Interrupted, "RLPT");
            }
        }
        // The summed step times of the steps kept, so a stage killed and resumed is timed as if it had run once.
        return (MetricsWriter.Read(Path.Combine(stage, MetricsWriter.FileName)).Sum(m => m["step_time"].GetDouble()), record);
    }

    private (string Model, string Record) Control(string coldStart, TokenDataset data, Tokenizer tokenizer, double seconds, string rlptRecord, CancellationToken cancellation)
    {
        var stage = Stage("control");
        // Its budget is the RL stage's training time (or a fixed step count), so it depends on that stage too.
        int? steps = options.ControlSteps;
        var record = Prepare(stage, new { rlpt = rlptRecord, seconds = steps is null ? seconds : 0, steps, options.ControlLearningRate });
        if (!Done(stage))
        {
            progress.Log(steps is null ? $"control: next-token pretraining from the cold start for the same {seconds:F0} s" : $"control: next-token pretraining from the cold start for {steps} steps");
            var config = options.Pretrain with
            {
                MaxSteps = steps ?? 1_000_000, MaxSeconds = steps is null ? seconds : 0, WarmupSteps = 0, LearningRate = options.ControlLearningRate,
                MinLearningRate = options.ControlLearningRate, EvalEvery = 0, SaveEvery = options.Pretrain.SaveEvery,
            };
            var bar = progress.AddBar("control", steps ?? seconds, steps is null ? "s" : null);
            double spent = 0;
            using var algorithm = new PretrainAlgorithm(config, ModelConfig.Load(Path.Combine(coldStart, ModelFolder.ConfigFile)), data, tokenizer, device, initializeFrom: coldStart);
            var outcome = new TrainingRun(stage)
            {
                Log = progress.Log,
                OnStep = s => bar.Update(steps is null ? Math.Min(spent += s["step_time"], seconds) : s.Step, $"loss {s["loss"]:F3}"),
            }.Run(algorithm, RunCheckpoints.Latest(stage) is not null, cancellation);
            Interrupted(outcome.Interrupted, "the control");
        }
        return (Path.Combine(stage, "model"), record);
    }

    private EvaluationResult Evaluate(string name, string folder, string modelRecord, TokenDataset data, RewardComposer rewards, CancellationToken cancellation)
    {
        var stage = Path.Combine(Stage("eval"), name);
        Prepare(stage, new { model = modelRecord, options.Evaluation, options.Tasks, options.Rewards });
        var saved = Path.Combine(stage, EvaluationReport.JsonFileName);
        if (File.Exists(saved)) return EvaluationReport.Read(saved);
        progress.Log($"evaluating {name}");
        var (model, tokenizer) = ModelFolder.Load(folder, device);
        using (model)
        {
            var result = CheckpointEvaluation.Run(name, model, tokenizer, data, rewards, options.Evaluation,
                type => type == typeof(RlptTaskOptions) ? options.Tasks : ObjectiveSetup.Defaults(type), cancellation);
            EvaluationReport.Write(stage, result);
            return result;
        }
    }

    private static void Interrupted(bool interrupted, string stage)
    {
        if (interrupted) throw new OperationCanceledException($"{stage} interrupted; run the demo again to resume.");
    }

    private IReadOnlyList<(string Prompt, string Completion)> Sample(string modelFolder)
    {
        var (model, tokenizer) = ModelFolder.Load(modelFolder, device);
        using (model)
        {
            var requests = options.SamplePrompts.Select((p, i) => new GenerationRequest(tokenizer.Encode(p),
                new SamplingOptions { MaxNewTokens = options.SampleTokens, Temperature = 0.8, TopP = 0.95, Seed = options.Seed + i })).ToArray();
            var results = new BatchGenerator(model, tokenizer).Generate(requests);
            var samples = options.SamplePrompts.Zip(results, (p, r) => (p, r.Text)).ToArray();
            File.WriteAllLines(Path.Combine(runDirectory, "samples.jsonl"),
                samples.Select(s => JsonSerializer.Serialize(new { prompt = s.p, completion = s.Text })));
            return samples;
        }
    }
}
