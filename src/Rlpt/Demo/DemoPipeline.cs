using System.Diagnostics;
using System.Text.Json;
using Rlpt.Data;
using Rlpt.Data.Store;
using Rlpt.Data.Corpora;
using Rlpt.Data.Corpora.Arithmetic;
using Rlpt.Data.Import;
using Rlpt.Generation;
using Rlpt.Modeling;
using Rlpt.Telemetry;
using Rlpt.Tokenization;
using Rlpt.Training;
using static TorchSharp.torch;

namespace Rlpt.Demo;

public sealed record DemoResult(int Steps, double TrainLoss, double ValidationLoss, double Seconds, IReadOnlyList<(string Prompt, string Completion)> Samples, string ReportPath);

/// <summary>
/// The end-to-end path on the default corpora: Brown Corpus + generated arithmetic documents → corpus import
/// (tokenizer, sentences, splits) → pretraining → sampled completions → report. Each stage leaves its output in the run folder and is reused
/// on a re-run (an interrupted pretraining resumes from its checkpoint).
/// </summary>
public sealed class DemoPipeline(DemoOptions options, string runDirectory, Device device, IProgressSink progress)
{
    public DemoResult Run(CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(runDirectory);
        var dataDirectory = Path.Combine(runDirectory, "data");
        var pretrainDirectory = Path.Combine(runDirectory, "pretrain");

        if (!File.Exists(Path.Combine(dataDirectory, TokenDataset.MetaFileName)))
        {
            progress.Log($"importing the default corpora: Brown Corpus + {options.ArithmeticDocuments:N0} arithmetic documents");
            var corpusFolder = BrownCorpus.EnsureDownloaded(BrownCorpus.DefaultCacheDirectory);
            var curated = () => BrownCorpus.Read(corpusFolder).Concat(ArithmeticDocuments.Generate(new ArithmeticCorpusOptions { Count = options.ArithmeticDocuments, Seed = options.Seed }));
            new CorpusImporter(new CorpusImportOptions { VocabSize = options.VocabSize }, progress).Import(new ImportInputs(_ => [], curated), dataDirectory, cancellation);
        }
        using var data = TokenDataset.Open(dataDirectory);
        var tokenizer = data.LoadTokenizer();
        var modelConfig = ModelPresets.Get(options.Preset) with { VocabSize = tokenizer.VocabSize };
        var modelDirectory = Path.Combine(pretrainDirectory, Pretrainer.ModelFolderName);
        if (!File.Exists(Path.Combine(modelDirectory, ModelFolder.WeightsFile)))
        {
            bool resume = Checkpoints.Latest(pretrainDirectory) is not null;
            progress.Log(resume ? "resuming pretraining from its last checkpoint" : $"pretraining the {options.Preset} preset ({modelConfig.ParameterCount / 1e6:F1}M parameters)");
            var bar = progress.AddBar("pretrain", options.Pretrain.MaxSteps);
            var trainer = new Pretrainer(options.Pretrain, modelConfig, data, tokenizer, pretrainDirectory, device)
            {
                Log = progress.Log,
                OnStep = s => bar.Update(s.Step, $"loss {s.Loss:F3}" + (s.ValidationLoss is double v ? $" val {v:F3}" : "") + $" {s.TokensPerSecond / 1000:F1}k tok/s"),
            };
            var outcome = trainer.Run(resume, cancellation);
            if (outcome.Interrupted) throw new OperationCanceledException("pretraining interrupted; run the demo again to resume.");
        }

        var (model, trained) = ModelFolder.Load(modelDirectory, device);
        using (model)
        {
            var samples = Sample(model, trained);
            var metrics = MetricsWriter.Read(Path.Combine(pretrainDirectory, MetricsWriter.FileName));
            var report = DemoReport.Write(runDirectory, options, modelConfig, data.Meta, metrics, samples, clock.Elapsed.TotalSeconds);
            double trainLoss = metrics[^1]["loss"].GetDouble();
            double validationLoss = metrics.Last(m => m.ContainsKey("val_loss"))["val_loss"].GetDouble();
            return new DemoResult(metrics.Count, trainLoss, validationLoss, clock.Elapsed.TotalSeconds, samples, report);
        }
    }

    private IReadOnlyList<(string Prompt, string Completion)> Sample(CausalLM model, Tokenizer tokenizer)
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
