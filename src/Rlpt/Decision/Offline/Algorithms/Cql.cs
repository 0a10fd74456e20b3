using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>
/// Continuous CQL(H) (Kumar et al. 2020) on SAC, with the importance-sampled log-sum-exp of the reference and CORL
/// implementations: for each critic, w·(log Σ exp over N uniform actions (minus their log-density), N policy actions at
/// s and N at s′ (minus their log π)) − Q(s, a_data)), N = 10, w = conservative_weight (d3rlpy's default 5).
/// </summary>
public class Cql(OfflinePolicyConfig shape, OfflineTrainingConfig config) : Sac(shape, config)
{
    public const int ActionSamples = 10;

    protected override Tensor? Regularizer(Tensor observations, Tensor next, TransitionBatch batch, Tensor q1, Tensor q2, Dictionary<string, double> metrics)
    {
        long b = observations.shape[0], o = observations.shape[1];
        int a = Scale.Size;
        var repeated = observations.unsqueeze(1).expand(b, ActionSamples, o);
        var repeatedNext = next.unsqueeze(1).expand(b, ActionSamples, o);
        using Scalar low = Scale.Low, width = Scale.High - Scale.Low, logWidth = a * Math.Log(Scale.High - Scale.Low);
        var uniform = rand(b, ActionSamples, a, device: observations.device).mul(width).add(low);
        Tensor policyActions, policyLogProb, nextActions, nextLogProb;
        using (no_grad())
        {
            (policyActions, policyLogProb) = actor.Sample(repeated);
            (nextActions, nextLogProb) = actor.Sample(repeatedNext);
        }
        var (randomQ1, randomQ2) = critic.forward(repeated, uniform);
        var (policyQ1, policyQ2) = critic.forward(repeated, policyActions);
        var (nextQ1, nextQ2) = critic.forward(repeated, nextActions);
        (policyQ1, policyQ2, nextQ1, nextQ2) = Calibrate(batch, policyQ1, policyQ2, nextQ1, nextQ2);
        // Uniform actions have log-density −Σ log(width): subtracting it adds a·log(width).
        var gap1 = cat([randomQ1.add(logWidth), policyQ1 - policyLogProb, nextQ1 - nextLogProb], 1).logsumexp(1) - q1;
        var gap2 = cat([randomQ2.add(logWidth), policyQ2 - policyLogProb, nextQ2 - nextLogProb], 1).logsumexp(1) - q2;
        var conservative = gap1.mean() + gap2.mean();
        metrics["conservative_loss"] = conservative.item<float>();
        using Scalar weight = Config.ConservativeWeight;
        return conservative * weight;
    }

    /// <summary>Cal-QL's hook: the policy actions' values as the regulariser sees them (unchanged in CQL).</summary>
    protected virtual (Tensor, Tensor, Tensor, Tensor) Calibrate(TransitionBatch batch, Tensor policyQ1, Tensor policyQ2, Tensor nextQ1, Tensor nextQ2) =>
        (policyQ1, policyQ2, nextQ1, nextQ2);
}
