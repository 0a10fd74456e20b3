using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Rlpt.Training.Runs;

/// <summary>
/// What a trainer plugs into <see cref="TrainingRun"/>: one optimizer step at a time, plus everything an exact resume
/// needs. The run loop owns the run folder, restore, cancellation, the non-finite-loss guard, metrics, checkpoints and
/// the final export; an algorithm owns only its models, optimizers and data position. Options are validated when the
/// algorithm is constructed, before any compute.
/// </summary>
public interface ITrainingAlgorithm : IDisposable
{
    /// <summary>Recorded in each checkpoint; resuming a run with another algorithm is refused.</summary>
    string Name { get; }

    int MaxSteps { get; }

    SavePolicy Saving { get; }

    /// <summary>The model that is trained; checkpoints hold it in its folder format and the run exports it as model/.</summary>
    ITrainedModel Model { get; }

    /// <summary>Further modules saved in every checkpoint under their names (a reference model, an EMA teacher, a value head).</summary>
    IReadOnlyDictionary<string, nn.Module> Modules { get; }

    /// <summary>Optimizers by name; "policy" is the policy's.</summary>
    IReadOnlyDictionary<string, AdamW> Optimizers { get; }

    /// <summary>The algorithm's own resume state (data position, counters) as JSON.</summary>
    JsonObject SaveState();

    void RestoreState(JsonObject state);

    /// <summary>
    /// One optimizer step; <paramref name="step"/> steps are already done. A step may stop early when the context's
    /// cancellation fires by throwing <see cref="OperationCanceledException"/>, with its state as before the step: the
    /// loop then checkpoints the last whole step.
    /// </summary>
    StepOutcome Step(int step, StepContext context);
}

/// <summary>What the loop lends an algorithm for one step.</summary>
public sealed record StepContext(string RunDirectory, Action<string> Log, CancellationToken Cancellation);

/// <summary>
/// A step's metrics (written to metrics.jsonl with the step number), its loss (the loop stops on a non-finite one) and
/// whether the algorithm's own budget (e.g. max_seconds) makes this the last step.
/// </summary>
public sealed record StepOutcome(IReadOnlyDictionary<string, object> Metrics, double Loss, bool Last = false);

/// <summary>Checkpoint every <paramref name="Every"/> steps (0: only at the end and on Ctrl-C), keeping the newest <paramref name="Keep"/>.</summary>
public sealed record SavePolicy(int Every, int Keep)
{
    public void Validate()
    {
        if (Every < 0) throw new ArgumentException($"save_every must be >= 0 (got {Every}).");
        if (Keep < 1) throw new ArgumentException($"save_total_limit must be at least 1 (got {Keep}): 0 would delete every checkpoint.");
    }
}
