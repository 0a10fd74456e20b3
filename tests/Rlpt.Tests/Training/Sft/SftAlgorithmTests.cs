using Rlpt.Interop.HuggingFace;
using Rlpt.Telemetry;
using Rlpt.Training.Runs;
using Rlpt.Training.Sft;
using Rlpt.Tests.Training.Rl;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Sft;

public sealed class SftAlgorithmTests
{
    private static readonly SftExample[] Examples = Enumerable.Range(0, 10).Select(i => new SftExample($"the cat {i}", $" sat on mat {i * 7 % 10}")).ToArray();

    private static RunResult Train(string run, SftConfig config, bool resume, Action<StepReport>? onStep = null, CancellationToken cancellation = default)
    {
        var (model, tokenizer) = GrpoLearningTests.TinyPolicy();
        using var _ = model;
        using var algorithm = new SftAlgorithm(config, model, tokenizer, Examples, CPU);
        return new TrainingRun(run) { OnStep = onStep }.Run(algorithm, resume, cancellation);
    }

    [Fact]
    public void ResumeContinuesExactlyLikeAnUninterruptedRun()
    {
        using var dir = new TestDirectory();
        var config = new SftConfig { Epochs = 3, BatchSize = 4, LearningRate = 3e-3, WarmupSteps = 2, SaveEvery = 0 };
        Train(dir.File("straight"), config, resume: false);
        using var cancel = new CancellationTokenSource();
        Assert.True(Train(dir.File("resumed"), config, resume: false, s => { if (s.Step == 4) cancel.Cancel(); }, cancel.Token).Interrupted);
        Assert.Equal(9, Train(dir.File("resumed"), config, resume: true).Steps);

        var expected = MetricsWriter.Read(Path.Combine(dir.File("straight"), MetricsWriter.FileName));
        var actual = MetricsWriter.Read(Path.Combine(dir.File("resumed"), MetricsWriter.FileName));
        Assert.Equal(expected.Select(m => m["loss"].GetDouble()), actual.Select(m => m["loss"].GetDouble()));
        Assert.Equal(expected.Select(m => m["lr"].GetDouble()), actual.Select(m => m["lr"].GetDouble()));
        var (a, _) = ModelFolder.Load(Path.Combine(dir.File("straight"), TrainingRun.ModelFolderName), CPU);
        var (b, _) = ModelFolder.Load(Path.Combine(dir.File("resumed"), TrainingRun.ModelFolderName), CPU);
        using (a) using (b)
            foreach (var (name, weight) in a.state_dict())
                Assert.True(weight.allclose(b.state_dict()[name], rtol: 0, atol: 1e-6), $"{name} differs after resume");
    }

    [Fact]
    public void MaxGradNormZeroTurnsClippingOff()
    {
        using var dir = new TestDirectory();
        // A tiny limit clips every step; 0 must leave the updates alone, so the two runs differ and 0's norms exceed it.
        Train(dir.File("clipped"), new SftConfig { Epochs = 1, BatchSize = 4, LearningRate = 1e-2, MaxGradNorm = 1e-6 }, resume: false);
        Train(dir.File("free"), new SftConfig { Epochs = 1, BatchSize = 4, LearningRate = 1e-2, MaxGradNorm = 0 }, resume: false);
        var clipped = MetricsWriter.Read(Path.Combine(dir.File("clipped"), MetricsWriter.FileName));
        var free = MetricsWriter.Read(Path.Combine(dir.File("free"), MetricsWriter.FileName));
        Assert.All(free, m => Assert.True(m["grad_norm"].GetDouble() > 1e-3));
        Assert.NotEqual(clipped[^1]["loss"].GetDouble(), free[^1]["loss"].GetDouble());
    }
}
