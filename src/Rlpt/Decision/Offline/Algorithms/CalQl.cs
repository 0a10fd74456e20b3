using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Training;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>
/// Cal-QL (Nakamoto et al. 2023): CQL whose pushed-down policy-action values are floored at the data's Monte Carlo
/// return-to-go, max(Q(s, a_π), G(s)), so the learned values stay calibrated (never below the behaviour policy's) and
/// online fine-tuning does not first unlearn an over-pessimistic critic.
/// </summary>
public sealed class CalQl(OfflinePolicyConfig shape, OfflineTrainingConfig config) : Cql(shape, config)
{
    protected override (Tensor, Tensor, Tensor, Tensor) Calibrate(TransitionBatch batch, Tensor policyQ1, Tensor policyQ2, Tensor nextQ1, Tensor nextQ2)
    {
        if (batch.ReturnsToGo is null) throw new InvalidOperationException("Cal-QL needs the batch's Monte Carlo returns-to-go.");
        var floor = batch.ReturnsToGo.unsqueeze(1);
        return (maximum(policyQ1, floor), maximum(policyQ2, floor), maximum(nextQ1, floor), maximum(nextQ2, floor));
    }
}
