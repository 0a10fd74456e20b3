using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Algorithms;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Evaluation;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Training;
using static TorchSharp.torch;

namespace Rlpt.Tests.Decision.Offline.Evaluation;

[Collection(GlobalTorchRandom.Name)]
public sealed class FittedQEvaluationTests
{
    [Fact]
    public void FqeEstimatesTheEvaluatedPolicysValueNotTheBehaviourPolicys()
    {
        // The two-state chain: A → B → end; at B action 0 pays 1, action 1 pays 0. The data takes both actions
        // everywhere (its behaviour is worth 0.25 from A at γ = 0.5); the evaluated policy always takes action 0,
        // so its value from A is γ·1 = 0.5.
        // States are observed as 3 and 5, so that scaled and raw observations differ (a target critic must scale as the critic does).
        var data = OfflineTestData.FromEpisodes(
            [(3f, 0f, 0f), (5f, 0f, 1f)], [(3f, 1f, 0f), (5f, 1f, 0f)], [(3f, 0f, 0f), (5f, 1f, 0f)], [(3f, 1f, 0f), (5f, 0f, 1f)]);
        var alwaysZero = OfflineTestData.FromEpisodes([(3f, 0f, 0f), (5f, 0f, 1f)], [(3f, 0f, 0f), (5f, 0f, 1f)]);
        var shape = OfflinePolicyConfig.For("bc", "", 1, ActionSpace.OfCount(2), 32, 2);
        manual_seed(0);
        using var policy = OfflineAlgorithms.Create(shape, new OfflineTrainingConfig { Algorithm = "bc", LearningRate = 3e-3 });
        policy.Scaler.Fit(alwaysZero.Observations, 1);
        var sampler = new TransitionSampler(alwaysZero.Count, 0);
        for (int step = 0; step < 200; step++)
        {
            using var scope = NewDisposeScope();
            policy.Update(TransitionBatch.Gather(alwaysZero, sampler.Rows(step, 32), CPU));
        }
        var result = FittedQEvaluation.Run(policy, shape, data, gamma: 0.5, steps: 1500, seed: 1, CPU, batchSize: 64);
        Assert.Equal(0.5, result.InitialStateValue, 1);
        Assert.True(result.TdLoss < 0.01, $"TD loss {result.TdLoss:F4}");
    }
}
