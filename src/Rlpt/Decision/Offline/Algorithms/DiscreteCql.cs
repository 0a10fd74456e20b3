using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>
/// Discrete CQL (Kumar et al. 2020, CQL(H)) on double DQN, as d3rlpy builds it: the TD loss plus
/// α·mean(logsumexp_a Q(s, a) − Q(s, a_data)), which pushes down the values of actions the data does not take.
/// </summary>
public sealed class DiscreteCql(OfflinePolicyConfig shape, OfflineTrainingConfig config) : Dqn(shape, config, doubleQ: true)
{
    protected override Tensor? Regularizer(Tensor values, Tensor taken, Dictionary<string, double> metrics)
    {
        var conservative = (values.logsumexp(1) - taken).mean();
        metrics["conservative_loss"] = conservative.item<float>();
        using Scalar weight = Config.CqlAlpha;
        return conservative * weight;
    }
}
