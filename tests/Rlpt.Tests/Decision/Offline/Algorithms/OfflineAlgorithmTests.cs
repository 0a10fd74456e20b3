using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Algorithms;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Tests.Decision.Offline.Algorithms;

[Collection(GlobalTorchRandom.Name)]
public sealed class OfflineAlgorithmTests
{
    private static readonly Device Cpu = CPU;

    private static OfflinePolicyConfig Shape(string algorithm, int observations = 1, int actions = 2) =>
        OfflinePolicyConfig.For(algorithm, "", observations, ActionSpace.OfCount(actions), hiddenSize: 32, numLayers: 2);

    private static IOfflineAlgorithm Fitted(string algorithm, EpisodeDataset data, OfflineTrainingConfig config)
    {
        manual_seed(1);
        var created = OfflineAlgorithms.Create(Shape(algorithm, data.ObservationSize), config with { Algorithm = algorithm });
        created.Scaler.Fit(data.Observations, data.ObservationSize);
        return created;
    }

    private static void Train(IOfflineAlgorithm algorithm, EpisodeDataset data, int steps, int batch = 64)
    {
        var sampler = new TransitionSampler(data.Count, seed: 2);
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            algorithm.Update(TransitionBatch.Gather(data, sampler.Rows(step, batch), Cpu));
        }
    }

    private static float[] Values(Dqn dqn, float observation)
    {
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        return dqn.Values(tensor(new[] { observation }, [1, 1])).data<float>().ToArray();
    }

    [Fact]
    public void PolyakAveragingMovesTargetsByTauAndACopyMatchesExactly()
    {
        using var online = nn.Linear(2, 1);
        using var target = nn.Linear(2, 1);
        using (no_grad())
        {
            online.weight!.copy_(tensor(new float[] { 1, 2 }).reshape(1, 2));
            target.weight!.copy_(tensor(new float[] { 3, 6 }).reshape(1, 2));
        }
        TargetNetwork.Update(online, target, 0.25);
        Assert.Equal([2.5f, 5f], target.weight!.data<float>().ToArray()); // 0.25·online + 0.75·target
        TargetNetwork.Copy(online, target);
        Assert.Equal([1f, 2f], target.weight!.data<float>().ToArray());
    }

    [Fact]
    public void DqnLearnsTheDiscountedValuesOfATwoStateChain()
    {
        // State 0 --(any action, r 0)--> state 1 --(action 0: r 1 | action 1: r 0)--> terminal. With γ = 0.5:
        // Q(1, 0) = 1, Q(1, 1) = 0, Q(0, ·) = γ·max Q(1, ·) = 0.5.
        var data = OfflineTestData.FromEpisodes(
            [(0f, 0f, 0f), (1f, 0f, 1f)], [(0f, 1f, 0f), (1f, 1f, 0f)], [(0f, 0f, 0f), (1f, 1f, 0f)], [(0f, 1f, 0f), (1f, 0f, 1f)]);
        using var dqn = (Dqn)Fitted("double_dqn", data, new OfflineTrainingConfig { Gamma = 0.5, LearningRate = 3e-3, Tau = 0.05 });
        Train(dqn, data, 1500);
        var final = Values(dqn, 1f);
        var start = Values(dqn, 0f);
        Assert.Equal(1.0, final[0], 1);
        Assert.Equal(0.0, final[1], 1);
        Assert.Equal(0.5, start[0], 1);
        Assert.Equal(0.5, start[1], 1);
        // The learned values satisfy the Bellman equation on the data: Q(s, a) ≈ r + γ·(1 − terminal)·max Q(s′, ·).
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        var batch = TransitionBatch.Gather(data, Enumerable.Range(0, data.Count).ToArray(), Cpu);
        var residual = dqn.ActionValue(batch.Observations, batch.Actions)! - batch.Rewards - batch.Continues * dqn.StateValue(batch.NextObservations)! * 0.5;
        Assert.True(residual.abs().max().item<float>() < 0.1, $"largest Bellman residual {residual.abs().max().item<float>():F3}");
    }

    [Fact]
    public void ConservativeQLearningPushesDownTheValueOfAnActionTheDataNeverTakes()
    {
        // One state, one terminal step, only action 0 (reward 0.5) in the data: DQN never trains Q(s, 1); CQL pushes it below Q(s, 0).
        var data = OfflineTestData.FromEpisodes(Enumerable.Range(0, 8).Select(_ => new[] { (0f, 0f, 0.5f) }).ToArray());
        using var cql = (Dqn)Fitted("cql", data, new OfflineTrainingConfig { LearningRate = 3e-3, CqlAlpha = 1.0 });
        Train(cql, data, 600);
        var values = Values(cql, 0f);
        Assert.True(values[1] < values[0] - 1, $"Q(s, unseen) {values[1]:F2} should sit well below Q(s, data) {values[0]:F2}");
        using var dqn = (Dqn)Fitted("dqn", data, new OfflineTrainingConfig { LearningRate = 3e-3 });
        var untrained = Values(dqn, 0f)[1];
        Train(dqn, data, 600);
        Assert.Equal(0.5, Values(dqn, 0f)[0], 1);
        Assert.Equal(untrained, Values(dqn, 0f)[1], 0.5); // the unseen action's value only drifts through shared layers
    }

    [Fact]
    public void DiscreteBehaviourCloningRecoversTheBehaviourPolicysRule()
    {
        var random = new Random(0);
        var episodes = Enumerable.Range(0, 400).Select(_ =>
        {
            float x = (float)(random.NextDouble() * 2 - 1);
            return new[] { (x, x > 0.2f ? 1f : 0f, 0f) };
        }).ToArray();
        var data = OfflineTestData.FromEpisodes(episodes);
        using var bc = Fitted("bc", data, new OfflineTrainingConfig { LearningRate = 3e-3 });
        Train(bc, data, 400);
        using var scope = NewDisposeScope();
        var probes = tensor(new float[] { -0.8f, 0f, 0.15f, 0.3f, 0.9f }, [5, 1]);
        Assert.Equal([0f, 0f, 0f, 1f, 1f], bc.Act(probes).data<float>().ToArray());
        Assert.Null(bc.StateValue(probes));
    }

    [Fact]
    public void ContinuousBehaviourCloningFitsABoundedLinearRule()
    {
        var random = new Random(1);
        var recorder = new Rlpt.Decision.Offline.Collection.EpisodeRecorder(1, 1);
        for (int i = 0; i < 512; i++)
        {
            float x = (float)(random.NextDouble() * 2 - 1);
            recorder.Add([x], [1.5f * x], new Rlpt.Decision.Environments.StepResult([x], 0, true, false));
        }
        var data = recorder.ToDataset(new Dictionary<string, string>());
        manual_seed(1);
        using var bc = OfflineAlgorithms.Create(OfflinePolicyConfig.For("bc", "", 1, ActionSpace.Box(1, -2, 2), 32, 2), new OfflineTrainingConfig { Algorithm = "bc", LearningRate = 3e-3 });
        bc.Scaler.Fit(data.Observations, 1);
        Train(bc, data, 600);
        using var scope = NewDisposeScope();
        var actions = bc.Act(tensor(new float[] { -0.5f, 0.5f }, [2, 1])).data<float>().ToArray();
        Assert.InRange(actions[0], -0.85, -0.65);
        Assert.InRange(actions[1], 0.65, 0.85);
    }

    [Theory]
    [InlineData("bc", true)]
    [InlineData("dqn", true)]
    [InlineData("cql", true)]
    [InlineData("bc", false)]
    [InlineData("cql", false)]
    [InlineData("calql", false)]
    [InlineData("sac", false)]
    [InlineData("iql", false)]
    [InlineData("td3bc", false)]
    public void EveryAlgorithmsStateHoldsItsObservationScalerAndTargets(string algorithm, bool discrete)
    {
        var shape = OfflinePolicyConfig.For(algorithm, "", 3, discrete ? ActionSpace.OfCount(2) : ActionSpace.Box(1, -1, 1), 8, 1);
        using var created = OfflineAlgorithms.Create(shape, new OfflineTrainingConfig { Algorithm = algorithm });
        var keys = created.Module.state_dict().Keys.ToList();
        Assert.Contains("scaler.mean", keys);
        Assert.Contains("scaler.std", keys);
        if (algorithm != "bc") Assert.Contains(keys, k => k.StartsWith("target_"));
        Assert.NotEmpty(created.Optimizers);
    }

    [Fact]
    public void AlgorithmsRefuseActionSpacesTheyCannotHandle()
    {
        var continuous = OfflinePolicyConfig.For("dqn", "Pendulum-v1", 3, ActionSpace.Box(1, -2, 2), 32, 2);
        Assert.Contains("does not handle continuous", Assert.Throws<ArgumentException>(() => OfflineAlgorithms.Create(continuous, new OfflineTrainingConfig { Algorithm = "dqn" })).Message);
        Assert.Contains("unknown algorithm", Assert.Throws<ArgumentException>(() => new OfflineTrainingConfig { Algorithm = "awac" }.Validate()).Message);
    }
}
