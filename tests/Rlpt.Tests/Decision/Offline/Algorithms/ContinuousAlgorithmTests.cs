using Rlpt.Decision.Environments;
using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Algorithms;
using Rlpt.Decision.Offline.Collection;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Training;
using static TorchSharp.torch;

namespace Rlpt.Tests.Decision.Offline.Algorithms;

[Collection(GlobalTorchRandom.Name)]
public sealed class ContinuousAlgorithmTests
{
    /// <summary>One-step tasks: observation x ~ U(−1, 1), reward −(a − x)², uniformly random actions in [−2, 2]. The best action is a = x.</summary>
    private static EpisodeDataset TrackingBandit(int rows, int seed)
    {
        var random = new Random(seed);
        var recorder = new EpisodeRecorder(1, 1);
        for (int i = 0; i < rows; i++)
        {
            float x = (float)(random.NextDouble() * 2 - 1), a = (float)(random.NextDouble() * 4 - 2);
            recorder.Add([x], [a], new StepResult([x], -(a - x) * (a - x), true, false));
        }
        return recorder.ToDataset(new Dictionary<string, string>());
    }

    [Theory]
    [InlineData("sac", 0.25)]
    [InlineData("cql", 0.3)]
    [InlineData("calql", 0.3)]
    [InlineData("iql", 0.35)]
    [InlineData("td3bc", 0.3)]
    public void EachActorCriticLearnsToTrackTheObservationFromRandomActions(string algorithm, double tolerance)
    {
        var data = TrackingBandit(2048, seed: 1);
        var shape = OfflinePolicyConfig.For(algorithm, "", 1, ActionSpace.Box(1, -2, 2), hiddenSize: 64, numLayers: 2);
        // A conservative weight of 1: at 5, on rewards this small, the pushed-down values bend the policy at the edges of the data (x = 0.7 → a = 1.04).
        var config = new OfflineTrainingConfig { Algorithm = algorithm, LearningRate = 1e-3, Gamma = 0.9, ConservativeWeight = 1 };
        manual_seed(2);
        using var learner = OfflineAlgorithms.Create(shape, config);
        learner.Scaler.Fit(data.Observations, 1);
        var sampler = new TransitionSampler(data.Count, seed: 3);
        var returnsToGo = data.ReturnsToGo(config.Gamma);
        Dictionary<string, double> last = [];
        for (int step = 0; step < 1500; step++)
        {
            using var scope = NewDisposeScope();
            last = learner.Update(TransitionBatch.Gather(data, sampler.Rows(step, 128), CPU, returnsToGo)).ToDictionary();
        }
        Assert.All(last.Values, v => Assert.True(double.IsFinite(v)));
        using var probeScope = NewDisposeScope();
        using var guard = no_grad();
        float[] probes = [-0.8f, -0.3f, 0.2f, 0.7f];
        var actions = learner.Act(tensor(probes, [4, 1])).data<float>().ToArray();
        for (int i = 0; i < probes.Length; i++)
            Assert.True(Math.Abs(actions[i] - probes[i]) < tolerance, $"{algorithm}: action {actions[i]:F2} for x = {probes[i]:F2}");
        // Values are returns of −(a − x)², so a learned V(s) near the best action is close to 0 and never far above it.
        Assert.InRange(learner.StateValue(tensor(probes, [4, 1]))!.max().item<float>(), -1.5, 0.5);
    }

    [Fact]
    public void CalQlNeedsReturnsToGoAndTheTrainerProvidesThem()
    {
        var data = TrackingBandit(64, seed: 2);
        var shape = OfflinePolicyConfig.For("calql", "", 1, ActionSpace.Box(1, -2, 2), 16, 1);
        using var calql = OfflineAlgorithms.Create(shape, new OfflineTrainingConfig { Algorithm = "calql" });
        using var scope = NewDisposeScope();
        Assert.Throws<InvalidOperationException>(() => calql.Update(TransitionBatch.Gather(data, [0, 1], CPU)));
        Assert.True(OfflineAlgorithms.NeedsReturnsToGo("calql"));
        Assert.False(OfflineAlgorithms.NeedsReturnsToGo("cql"));
    }

    [Fact]
    public void ReturnsToGoDiscountWithinEpisodesAndExtendATimeLimitCutByItsLastReward()
    {
        var recorder = new EpisodeRecorder(1, 1);
        recorder.Add([0], [0], new StepResult([0], 1, false, false));
        recorder.Add([0], [0], new StepResult([0], 2, true, false)); // terminal: G = 2, then 1 + 0.5·2
        recorder.Add([0], [0], new StepResult([0], 4, false, false));
        recorder.Add([0], [0], new StepResult([0], -1, false, true)); // cut: G = −1 / (1 − 0.5) = −2, then 4 + 0.5·(−2)
        Assert.Equal([2f, 2f, 3f, -2f], recorder.ToDataset(new Dictionary<string, string>()).ReturnsToGo(0.5));
    }
}
