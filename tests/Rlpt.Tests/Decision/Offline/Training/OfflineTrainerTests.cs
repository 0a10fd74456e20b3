using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Training;
using Rlpt.Telemetry;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Tests.Decision.Offline.Training;

[Collection(GlobalTorchRandom.Name)]
public sealed class OfflineTrainerTests
{
    private static readonly (string, string)[] References = [(DatasetMetadata.RandomReturn, "20"), (DatasetMetadata.ExpertReturn, "500")];

    [Fact]
    public void BehaviourCloningOfABalancingControllerBalancesCartPole()
    {
        // The controller's data with 10 % random actions; BC should recover the controller itself.
        var data = OfflineTestData.CartPole((o, r) => r.NextDouble() < 0.1 ? [r.Next(2)] : OfflineTestData.Balance(o), 4000, seed: 1, References);
        using var trainer = new OfflineTrainer(new OfflineTrainingConfig { Algorithm = "bc", MaxSteps = 400, BatchSize = 128, LearningRate = 1e-3, HiddenSize = 64, EvalEpisodes = 5 }, data, CPU);
        using var dir = new TestDirectory();
        var result = new TrainingRun(dir.Path).Run(trainer, resume: false);
        Assert.True(result.Metric("eval_return") >= 400, $"BC return {result.Metric("eval_return"):F1}");
        Assert.True(result.Metric("eval_normalized_score") >= 80);
    }

    [Fact]
    public void AResumedRunEqualsAnUninterruptedOneAndThePolicyFolderLoadsBack()
    {
        var data = OfflineTestData.CartPole((_, r) => [r.Next(2)], 600, seed: 2, References);
        var config = new OfflineTrainingConfig { Algorithm = "cql", MaxSteps = 6, BatchSize = 32, HiddenSize = 16, TargetUpdateInterval = 2, EvalEvery = 3, EvalEpisodes = 2, SaveEvery = 3, Weighting = "aw" };
        using var straight = new TestDirectory();
        using var split = new TestDirectory();
        using (var trainer = new OfflineTrainer(config, data, CPU))
            new TrainingRun(straight.Path).Run(trainer, resume: false);
        using (var trainer = new OfflineTrainer(config, data, CPU))
        {
            using var stop = new CancellationTokenSource();
            new TrainingRun(split.Path) { OnStep = s => { if (s.Step == 3) stop.Cancel(); } }.Run(trainer, resume: false, stop.Token);
        }
        using (var trainer = new OfflineTrainer(config, data, CPU))
            new TrainingRun(split.Path).Run(trainer, resume: true);
        string[] keys = ["loss", "td_loss", "conservative_loss", "q_mean"];
        var a = MetricsWriter.Read(Path.Combine(straight.Path, MetricsWriter.FileName)).Select(m => keys.Select(k => m[k].GetDouble()).ToArray()).ToArray();
        var b = MetricsWriter.Read(Path.Combine(split.Path, MetricsWriter.FileName)).Select(m => keys.Select(k => m[k].GetDouble()).ToArray()).ToArray();
        Assert.Equal(6, a.Length);
        Assert.Equal(a, b);
        Assert.Contains(MetricsWriter.Read(Path.Combine(straight.Path, MetricsWriter.FileName)), m => m.ContainsKey("eval_return") && m.ContainsKey("initial_state_value") && m.ContainsKey("td_error"));

        var (shape, first) = OfflinePolicyFolder.Open(Path.Combine(straight.Path, TrainingRun.ModelFolderName), CPU);
        var (_, second) = OfflinePolicyFolder.Open(Path.Combine(split.Path, TrainingRun.ModelFolderName), CPU);
        using (first)
        using (second)
        {
            Assert.Equal("CartPole-v1", shape.Environment);
            using var scope = NewDisposeScope();
            using var guard = no_grad();
            var probe = tensor(data.Observations.AsSpan(0, 40).ToArray(), [10, 4]);
            Assert.True(first.StateValue(probe)!.allclose(second.StateValue(probe)!), "resumed and uninterrupted runs must end with the same weights");
        }
    }

    [Fact]
    public void ADatasetThatDoesNotFitItsEnvironmentIsRefusedBeforeTraining()
    {
        var data = OfflineTestData.FromEpisodes([(0f, 0f, 1f)]);
        var named = new EpisodeDataset(1, 1, data.Observations, data.Actions, data.Rewards, data.NextObservations, data.Terminals, data.Timeouts,
            new Dictionary<string, string> { [DatasetMetadata.Environment] = "CartPole-v1" });
        Assert.Contains("do not fit CartPole-v1", Assert.Throws<InvalidDataException>(() => new OfflineTrainer(new OfflineTrainingConfig(), named, CPU)).Message);
    }
}
