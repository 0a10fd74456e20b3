using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Telemetry;
using Rlpt.Tests.Training;
using Rlpt.Training;
using Rlpt.Training.Pretraining;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Pretraining;

public sealed class PretrainAlgorithmTests
{
    private static ModelConfig Model(int vocab) => new()
    {
        VocabSize = vocab, HiddenSize = 48, IntermediateSize = 96, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 64, TieWordEmbeddings = true,
    };

    private static PretrainConfig Config(int steps) => new()
    {
        SequenceLength = 32, BatchSize = 4, GradientAccumulationSteps = 2, MaxSteps = steps, WarmupSteps = 3,
        LearningRate = 3e-3, EvalEvery = 4, EvalBatches = 2, SaveEvery = 0, Seed = 5,
    };

    [Fact]
    public void ResumeContinuesExactlyLikeAnUninterruptedRun()
    {
        using var dir = new TestDirectory();
        var (data, tokenizer) = TinyCorpus.Build(dir.File("data"));
        using var _ = data;
        const int total = 12, half = 6;

        PretrainAlgorithm Algorithm() => new(Config(total), Model(tokenizer.VocabSize), data, tokenizer, CPU);
        using (var straight = Algorithm()) new TrainingRun(dir.File("straight")).Run(straight, resume: false);

        // Interrupt after `half` steps the way Ctrl-C does: the token is cancelled, the run saves and returns.
        using var cancel = new CancellationTokenSource();
        using (var first = Algorithm())
        {
            var interrupted = new TrainingRun(dir.File("resumed")) { OnStep = s => { if (s.Step == half) cancel.Cancel(); } }.Run(first, resume: false, cancel.Token);
            Assert.True(interrupted.Interrupted);
            Assert.Equal(half, interrupted.Steps);
        }
        using (var second = Algorithm()) Assert.Equal(total, new TrainingRun(dir.File("resumed")).Run(second, resume: true).Steps);

        var expected = MetricsWriter.Read(Path.Combine(dir.File("straight"), MetricsWriter.FileName));
        var actual = MetricsWriter.Read(Path.Combine(dir.File("resumed"), MetricsWriter.FileName));
        Assert.Equal(total, actual.Count);
        for (int i = 0; i < total; i++)
        {
            Assert.Equal(expected[i]["step"].GetInt32(), actual[i]["step"].GetInt32());
            Assert.True(Math.Abs(expected[i]["loss"].GetDouble() - actual[i]["loss"].GetDouble()) < 1e-6, $"step {i + 1}: loss {actual[i]["loss"]} after resume vs {expected[i]["loss"]} straight");
            Assert.Equal(expected[i]["lr"].GetDouble(), actual[i]["lr"].GetDouble(), 12);
        }
        var (a, _) = ModelFolder.Load(Path.Combine(dir.File("straight"), TrainingRun.ModelFolderName), CPU);
        var (b, _) = ModelFolder.Load(Path.Combine(dir.File("resumed"), TrainingRun.ModelFolderName), CPU);
        using (a) using (b)
        {
            var wa = a.state_dict();
            var wb = b.state_dict();
            foreach (var (name, tensor) in wa)
                Assert.True(tensor.allclose(wb[name], rtol: 0, atol: 1e-6), $"{name} differs after resume");
        }
    }

    [Fact]
    public void LossFallsWellBelowUniformOnALearnableCorpus()
    {
        using var dir = new TestDirectory();
        var (data, tokenizer) = TinyCorpus.Build(dir.File("data"));
        using var _ = data;
        var config = Config(60) with { GradientAccumulationSteps = 1, EvalEvery = 0 };
        using var algorithm = new PretrainAlgorithm(config, Model(tokenizer.VocabSize), data, tokenizer, CPU);
        var result = new TrainingRun(dir.File("run")).Run(algorithm, resume: false);
        double uniform = Math.Log(tokenizer.VocabSize);
        var metrics = MetricsWriter.Read(Path.Combine(dir.File("run"), MetricsWriter.FileName));
        Assert.True(metrics[0]["loss"].GetDouble() > 0.9 * uniform, $"first loss {metrics[0]["loss"]} should be near ln(V) = {uniform:F2}");
        Assert.True(result.Metric("val_loss") < 0.5 * uniform, $"held-out loss {result.Metric("val_loss"):F3} should fall below half of ln(V) = {uniform:F2}");
        Assert.True(File.Exists(Path.Combine(dir.File("run"), TrainingRun.ModelFolderName, ModelFolder.WeightsFile)));
    }

    [Fact]
    public void RefusesToOverwriteARunAndToResumeWithoutCheckpoint()
    {
        using var dir = new TestDirectory();
        var (data, tokenizer) = TinyCorpus.Build(dir.File("data"));
        using var _ = data;
        using var algorithm = new PretrainAlgorithm(Config(2), Model(tokenizer.VocabSize), data, tokenizer, CPU);
        var run = new TrainingRun(dir.File("run"));
        Assert.Throws<InvalidOperationException>(() => run.Run(algorithm, resume: true));
        run.Run(algorithm, resume: false);
        var again = Assert.Throws<InvalidOperationException>(() => run.Run(algorithm, resume: false));
        Assert.Contains("--resume", again.Message);
    }
}
