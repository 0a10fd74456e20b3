using Rlpt.Generation;

namespace Rlpt.Training.Rl.Rollouts;

/// <summary>
/// Where GRPO's rollouts are generated: in the trainer's process on the policy itself (<see cref="LocalRolloutEngine"/>)
/// or on inference engines over HTTP that are sent the policy's weights (<see cref="OpenAiRolloutEngine"/>). Chosen by
/// name in <see cref="RolloutEngines"/>.
/// </summary>
public interface IRolloutEngine : IDisposable
{
    string Name { get; }

    /// <summary>
    /// True when the rollouts come from another copy of the policy, so their log-probs are the behaviour policy's and the
    /// trainer recomputes its own (<see cref="ImportanceSampling"/>); also what asynchronous rollouts need.
    /// </summary>
    bool Remote { get; }

    /// <summary>The optimizer steps in the weights the engine generates with now; null before the first sync.</summary>
    int? WeightVersion { get; }

    /// <summary>
    /// Generates every request (results in request order), each result naming the <see cref="GenerationResult.WeightVersion"/>
    /// that generated it when the engine can tell.
    /// </summary>
    Task<IReadOnlyList<GenerationResult>> GenerateAsync(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellation);

    /// <summary>Makes the engine generate with the policy's weights after <paramref name="version"/> optimizer steps.</summary>
    void SyncWeights(int version, CancellationToken cancellation);

    /// <summary>The engine's counters since the last call (requests retried, replicas failed, seconds syncing), for metrics.jsonl.</summary>
    IReadOnlyDictionary<string, double> TakeMetrics();
}
