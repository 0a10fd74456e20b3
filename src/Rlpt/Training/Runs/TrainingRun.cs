using Rlpt.Telemetry;

namespace Rlpt.Training.Runs;

/// <summary>
/// The one run loop every trainer uses: refuses to overwrite a run or to resume one without a checkpoint, restores
/// every named module, optimizer and the algorithm's state, runs steps until max_steps, the algorithm's own budget or
/// Ctrl-C, writes one metrics line per step, stops on a non-finite loss (keeping the last checkpoint), saves
/// periodically and at the end (atomically), and exports the trained model in model/.
/// </summary>
public sealed class TrainingRun(string runDirectory)
{
    public const string ModelFolderName = "model";

    public Action<StepReport>? OnStep { get; init; }
    public Action<string>? Log { get; init; }

    /// <summary>Where metrics go besides metrics.jsonl: "none" (default) or "tensorboard" (event files in tensorboard/).</summary>
    public string ReportTo { get; init; } = "none";

    public RunResult Run(ITrainingAlgorithm algorithm, bool resume, CancellationToken cancellation = default)
    {
        TensorBoardWriter.ValidateTarget(ReportTo);
        var latest = CheckRunDirectory(runDirectory, resume);
        algorithm.Model.Module.train();
        int step = 0;
        if (resume)
        {
            step = RunCheckpoints.Restore(latest!, algorithm);
            Log?.Invoke($"resumed from {latest} at step {step}");
        }
        // Steps logged after the checkpoint resumed (a crash between saves), or by a start killed before its first one, are
        // redone, so they must not appear twice.
        MetricsWriter.TruncateAfter(runDirectory, step);
        using var metrics = new MetricsWriter(runDirectory, append: resume);
        using var tensorBoard = ReportTo == "tensorboard" ? new TensorBoardWriter(runDirectory, resume ? step : -1) : null;
        var context = new StepContext(runDirectory, message => Log?.Invoke(message), cancellation);
        bool interrupted = false;
        int saved = resume ? step : -1;
        StepReport? last = null;
        while (step < algorithm.MaxSteps)
        {
            if (cancellation.IsCancellationRequested) { interrupted = true; break; }
            StepOutcome outcome;
            try
            {
                outcome = algorithm.Step(step, context);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                interrupted = true; // the step stopped part-way, its state as before it: the last whole step is saved below
                break;
            }
            step++;
            var record = new Dictionary<string, object> { ["step"] = step };
            foreach (var (key, value) in outcome.Metrics) record[key] = value;
            metrics.Write(record);
            tensorBoard?.Write(step, record);
            last = new StepReport(step, algorithm.MaxSteps, record);
            OnStep?.Invoke(last);
            if (!double.IsFinite(outcome.Loss))
                throw new InvalidOperationException($"{algorithm.Name}: loss became {outcome.Loss} at step {step}: lower the learning rate (last checkpoint kept).");
            if (outcome.Last) break;
            if (algorithm.Saving.Every > 0 && step % algorithm.Saving.Every == 0 && step < algorithm.MaxSteps)
            {
                RunCheckpoints.Save(runDirectory, algorithm, step);
                saved = step;
            }
        }
        if (step > 0 && saved != step) RunCheckpoints.Save(runDirectory, algorithm, step);
        var modelDirectory = Path.Combine(runDirectory, ModelFolderName);
        if (!interrupted) algorithm.Model.Save(modelDirectory);
        return new RunResult(step, interrupted, modelDirectory, last);
    }

    /// <summary>Refuses to overwrite a run, or to resume one that has no checkpoint; returns the checkpoint to resume.</summary>
    public static string? CheckRunDirectory(string runDirectory, bool resume)
    {
        var latest = RunCheckpoints.Latest(runDirectory);
        if (resume && latest is null) throw new InvalidOperationException($"--resume: no checkpoint in {Path.Combine(runDirectory, RunCheckpoints.Folder)}.");
        if (!resume && latest is not null) throw new InvalidOperationException($"{runDirectory} already holds checkpoints: pass --resume to continue, or choose another --out.");
        return latest;
    }
}
