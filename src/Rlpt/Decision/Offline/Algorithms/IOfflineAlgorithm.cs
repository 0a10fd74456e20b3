using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Networks;
using Rlpt.Training;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>
/// One offline (or online) RL algorithm as CORL writes them: its networks in one module (targets and the observation
/// scaler included, so a checkpoint holds everything), its optimizers, one gradient update per minibatch and a
/// deterministic policy for evaluation.
/// </summary>
public interface IOfflineAlgorithm : IDisposable
{
    nn.Module Module { get; }

    ObservationScaler Scaler { get; }

    IReadOnlyDictionary<string, AdamW> Optimizers { get; }

    /// <summary>One update; returns the step's metrics (d3rlpy's names: loss, td_loss, conservative_loss, q_mean, …).</summary>
    IReadOnlyDictionary<string, double> Update(TransitionBatch batch);

    /// <summary>Greedy (deterministic) actions [B, action_size] for raw observations [B, obs].</summary>
    Tensor Act(Tensor observations);

    /// <summary>The algorithm's value estimate V(s) [B], or null when it learns no value (BC).</summary>
    Tensor? StateValue(Tensor observations);

    /// <summary>The algorithm's value of given actions Q(s, a) [B] (actions as the dataset stores them), or null when it learns none (BC).</summary>
    Tensor? ActionValue(Tensor observations, Tensor actions);
}
