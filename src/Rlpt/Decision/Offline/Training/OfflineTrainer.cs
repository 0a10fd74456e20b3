using System.Diagnostics;
using System.Text.Json.Nodes;
using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Algorithms;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Weighting;
using Rlpt.Training;
using Rlpt.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Training;

/// <summary>
/// Offline RL on the one run loop (d3rlpy's <c>fit</c>): each step draws a minibatch (uniformly or by trajectory
/// weight; a pure function of the step, so resume is exact), makes one update of the algorithm, and every eval_every
/// steps plays eval_episodes in the dataset's environment (eval_return, eval_normalized_score against the dataset's
/// random and expert reference returns) and reports d3rlpy's initial-state value estimate.
/// </summary>
public sealed class OfflineTrainer : ITrainingAlgorithm
{
    /// <summary>Evaluation episodes start from seeds beyond any the collection used.</summary>
    public const int EvaluationSeed = 1_000_000;

    /// <summary>Dataset transitions the TD error is measured on (the same ones at every evaluation).</summary>
    public const int TdErrorRows = 2048;

    private readonly OfflineTrainingConfig config;
    private readonly EpisodeDataset dataset;
    private readonly TransitionSampler sampler;
    private readonly Device device;
    private readonly (double Random, double Expert)? references;
    private readonly float[]? returnsToGo;

    /// <param name="environment">The Gymnasium id to evaluate in, for a dataset that names none (a D4RL file) or another one.</param>
    public OfflineTrainer(OfflineTrainingConfig config, EpisodeDataset dataset, Device device, string? environment = null)
    {
        config.Validate();
        this.config = config;
        this.dataset = dataset;
        this.device = device;
        Environment = environment ?? dataset.Metadata.GetValueOrDefault(DatasetMetadata.Environment) ?? "";
        var task = Environment.Length > 0 ? ControlEnvironments.Create(Environment) : null;
        if (task is not null) DatasetMetadata.CheckMatches(dataset, task);
        var actions = task?.Actions ?? DatasetMetadata.ActionsOf(dataset);
        Shape = OfflinePolicyConfig.For(config.Algorithm, Environment, dataset.ObservationSize, actions, config.HiddenSize, config.NumLayers);
        references = DatasetMetadata.ReferenceReturns(dataset);
        manual_seed(config.Seed);
        Algorithm = OfflineAlgorithms.Create(Shape, config);
        Algorithm.Scaler.Fit(dataset.Observations, dataset.ObservationSize);
        Algorithm.Module.to(device.type, device.index);
        var weights = config.Weighting == "none" ? null : TrajectoryWeighting.TransitionWeights(dataset, config.Weighting, config.WeightingAlpha);
        sampler = new TransitionSampler(dataset.Count, config.Seed, weights);
        returnsToGo = OfflineAlgorithms.NeedsReturnsToGo(config.Algorithm) ? dataset.ReturnsToGo(config.Gamma) : null;
    }

    /// <summary>The Gymnasium id evaluation plays ("" when the dataset names none: no environment evaluation).</summary>
    public string Environment { get; }
    public OfflinePolicyConfig Shape { get; }
    public IOfflineAlgorithm Algorithm { get; }
    public string Name => "offline-" + config.Algorithm;
    public int MaxSteps => config.MaxSteps;
    public SavePolicy Saving => config.Saving;
    public ITrainedModel Model => new OfflinePolicyFolder(Shape, Algorithm);
    public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();
    public IReadOnlyDictionary<string, AdamW> Optimizers => Algorithm.Optimizers;

    public JsonObject SaveState() => [];

    public void RestoreState(JsonObject state) { }

    public StepOutcome Step(int step, StepContext context)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyDictionary<string, double> update;
        // The update's own noise (policy samples, target smoothing) is seeded by the step too, so a resume is exact.
        manual_seed(unchecked(config.Seed * 1_000_003L + step));
        using (var scope = NewDisposeScope())
            update = Algorithm.Update(TransitionBatch.Gather(dataset, sampler.Rows(step, config.BatchSize), device, returnsToGo));
        var record = update.ToDictionary(kv => kv.Key, kv => (object)kv.Value);
        double seconds = clock.Elapsed.TotalSeconds;
        record["step_time"] = seconds;
        record["samples_per_second"] = config.BatchSize / seconds;
        int done = step + 1;
        if (done == config.MaxSteps || (config.EvalEvery > 0 && done % config.EvalEvery == 0))
            foreach (var (key, value) in Evaluate()) record[key] = value;
        return new StepOutcome(record, update["loss"]);
    }

    /// <summary>
    /// Environment return (and normalised score), the mean initial-state value V(s₀) over the dataset's episodes, and
    /// d3rlpy's TD error: the mean of (Q(s, a) − r − γ·(1 − terminal)·V(s′))² over a fixed sample of dataset transitions.
    /// </summary>
    public Dictionary<string, object> Evaluate()
    {
        var record = new Dictionary<string, object>();
        Algorithm.Module.eval();
        try
        {
            if (Environment.Length > 0)
            {
                var returns = PolicyEvaluation.Run(Algorithm.Act, Environment, config.EvalEpisodes, EvaluationSeed, device);
                record["eval_return"] = returns.Mean;
                record["eval_return_std"] = returns.StandardDeviation;
                if (references is var (random, expert)) record["eval_normalized_score"] = EvaluationReturns.Normalized(returns.Mean, random, expert);
            }
            using var scope = NewDisposeScope();
            using var guard = no_grad();
            var starts = dataset.Episodes.Select(e => dataset.Observation(e.Start).ToArray()).ToArray();
            var observations = tensor(starts.SelectMany(s => s).ToArray(), [starts.Length, dataset.ObservationSize], device: device);
            if (Algorithm.StateValue(observations) is { } values) record["initial_state_value"] = values.mean().item<float>();
            var sample = TransitionBatch.Gather(dataset, new TransitionSampler(dataset.Count, EvaluationSeed).Rows(0, Math.Min(TdErrorRows, dataset.Count)), device);
            if (Algorithm.ActionValue(sample.Observations, sample.Actions) is { } q && Algorithm.StateValue(sample.NextObservations) is { } next)
            {
                using Scalar gamma = config.Gamma;
                record["td_error"] = (q - sample.Rewards - sample.Continues * next * gamma).square().mean().item<float>();
            }
        }
        finally
        {
            Algorithm.Module.train();
        }
        return record;
    }

    public void Dispose() => Algorithm.Dispose();
}
