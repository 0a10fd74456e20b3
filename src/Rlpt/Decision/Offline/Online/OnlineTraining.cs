using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Algorithms;
using Rlpt.Decision.Offline.Collection;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Online;

/// <summary>The outcome of an online run: its policy (the best evaluated one when asked), every transition it saw, and its greedy-evaluation curve.</summary>
public sealed record OnlineRun(IOfflineAlgorithm Policy, OfflinePolicyConfig Shape, EpisodeRecorder Replay, IReadOnlyList<(int Step, double Return)> Curve, double BestReturn);

/// <summary>
/// How an online run starts and what it learns from. A fresh run fits its observation scaler when learning starts;
/// a warm start (WSRL) keeps the pre-trained one. <see cref="Retained"/>, when set, is offline data that every batch
/// draws half its rows from (the "keep the offline data" fine-tuning that WSRL compares against).
/// </summary>
public sealed record OnlineOptions(bool FitScaler = true, bool KeepBest = false, EpisodeDataset? Retained = null, Action<IReadOnlyDictionary<string, object>>? Record = null);

/// <summary>
/// The one online loop (d3rlpy's <c>fit_online</c>) for double DQN (ε-greedy) and SAC (sampled actions): the same
/// <see cref="IOfflineAlgorithm.Update"/> the offline trainer calls, on a recording that keeps every transition (the
/// replay dataset is all the run saw), with periodic greedy evaluation.
/// </summary>
public static class OnlineTraining
{
    /// <summary>A fresh learner for a task: double DQN on discrete actions, SAC on continuous ones.</summary>
    public static (IOfflineAlgorithm Algorithm, OfflinePolicyConfig Shape) Create(string environmentId, OnlineConfig config, int seed, Device device)
    {
        var environment = ControlEnvironments.Create(environmentId);
        var name = environment.Actions.Discrete ? "double_dqn" : "sac";
        var shape = OfflinePolicyConfig.For(name, environmentId, environment.ObservationSize, environment.Actions, config.HiddenSize, config.NumLayers);
        manual_seed(seed);
        var algorithm = OfflineAlgorithms.Create(shape, Hyperparameters(name, config));
        algorithm.Module.to(device.type, device.index);
        return (algorithm, shape);
    }

    /// <summary>The update settings an online run gives its algorithm; DQN's target is copied by this loop on the environment-step schedule, so the update never does.</summary>
    public static OfflineTrainingConfig Hyperparameters(string algorithm, OnlineConfig config) => new()
    {
        Algorithm = algorithm, LearningRate = config.LearningRate, Gamma = config.Gamma, BatchSize = config.BatchSize,
        HiddenSize = config.HiddenSize, NumLayers = config.NumLayers, TargetUpdateInterval = algorithm is "dqn" or "double_dqn" ? int.MaxValue : 0,
    };

    public static OnlineRun Run(IOfflineAlgorithm algorithm, OfflinePolicyConfig shape, OnlineConfig config, int seed, Device device, OnlineOptions options,
        Action<int, double?>? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        var environment = ControlEnvironments.Create(shape.Environment);
        shape.CheckFits(environment);
        Func<float[], Random, int, float[]> explore = algorithm switch
        {
            Dqn dqn => (observation, random, step) => random.NextDouble() < Epsilon(config, step) ? environment.Actions.Sample(random) : Act(dqn.Act, observation, device),
            Sac sac => (observation, _, _) => Act(sac.Explore, observation, device),
            _ => throw new ArgumentException($"online training runs double_dqn or sac-family policies, not {shape.Algorithm}."),
        };
        var replay = new EpisodeRecorder(environment.ObservationSize, environment.Actions.Size);
        ITransitionSource source = options.Retained is null ? replay : new CombinedTransitions(options.Retained, replay);
        var random = new Random(seed);
        var curve = new List<(int, double)>();
        Dictionary<string, Tensor>? best = null;
        double bestReturn = double.NegativeInfinity, episodeReturn = 0;
        var observation = environment.Reset(random);
        for (int step = 0; step < config.TotalSteps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            var record = new Dictionary<string, object> { ["step"] = step + 1 };
            var action = step < config.RandomSteps ? environment.Actions.Sample(random) : explore(observation, random, step);
            var result = environment.Step(action);
            replay.Add(observation, action, result);
            episodeReturn += result.Reward;
            if (result.Done)
            {
                record["episode_return"] = episodeReturn;
                episodeReturn = 0;
                observation = environment.Reset(random);
            }
            else observation = result.Observation;
            if (options.FitScaler && step + 1 == Math.Max(config.LearningStarts, 1)) FitScaler(algorithm, replay, environment);
            if (step + 1 >= config.LearningStarts && (step + 1) % config.TrainFreq == 0)
                for (int update = 0; update < config.GradientSteps; update++)
                {
                    // One seed per update: 64 slots per step, more when a step makes more updates.
                    manual_seed(unchecked(seed * 1_000_003L + step * Math.Max(64L, config.GradientSteps) + update));
                    using var scope = NewDisposeScope();
                    foreach (var (key, value) in algorithm.Update(TransitionBatch.Gather(source, Rows(config, replay.Count, options.Retained?.Count ?? 0, random), device)))
                        record[key] = value;
                }
            if (algorithm is Dqn target && (step + 1) % config.TargetUpdateInterval == 0) target.SyncTarget();
            double? evaluated = null;
            if ((step + 1) % config.EvalEvery == 0 || step + 1 == config.TotalSteps)
            {
                algorithm.Module.eval();
                double mean = PolicyEvaluation.Run(algorithm.Act, shape.Environment, config.EvalEpisodes, OfflineTrainer.EvaluationSeed, device).Mean;
                algorithm.Module.train();
                curve.Add((step + 1, mean));
                record["eval_return"] = mean;
                evaluated = mean;
                if (options.KeepBest && mean > bestReturn)
                {
                    if (best is not null) foreach (var tensor in best.Values) tensor.Dispose();
                    best = algorithm.Module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
                }
                bestReturn = Math.Max(bestReturn, mean);
            }
            options.Record?.Invoke(record);
            if (evaluated is not null || (step + 1) % 1000 == 0) progress?.Invoke(step + 1, evaluated);
        }
        if (best is not null)
        {
            using (no_grad())
                foreach (var (key, target) in algorithm.Module.state_dict()) target.copy_(best[key]);
            foreach (var tensor in best.Values) tensor.Dispose();
        }
        algorithm.Module.eval();
        return new OnlineRun(algorithm, shape, replay, curve, bestReturn);
    }

    /// <summary>Batch rows: the latest buffer_size online transitions, or half from the retained offline data (rows 0 … retained − 1) and half online.</summary>
    private static int[] Rows(OnlineConfig config, int online, int retained, Random random)
    {
        int oldest = Math.Max(0, online - config.BufferSize);
        return Enumerable.Range(0, config.BatchSize)
            .Select(i => retained > 0 && i % 2 == 0 ? random.Next(retained) : retained + random.Next(oldest, online))
            .ToArray();
    }

    private static double Epsilon(OnlineConfig config, int step) =>
        Math.Max(config.FinalEpsilon, config.InitialEpsilon - (config.InitialEpsilon - config.FinalEpsilon) * step / (config.ExplorationFraction * config.TotalSteps));

    /// <summary>One observation's action under a batched policy.</summary>
    public static float[] Act(Func<Tensor, Tensor> policy, float[] observation, Device device)
    {
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        return policy(tensor(observation, [1, observation.Length], device: device)).cpu().data<float>().ToArray();
    }

    private static void FitScaler(IOfflineAlgorithm algorithm, EpisodeRecorder replay, IControlEnvironment environment)
    {
        var observations = new float[replay.Count * replay.ObservationSize];
        for (int row = 0; row < replay.Count; row++) replay.Observation(row).CopyTo(observations.AsSpan(row * replay.ObservationSize));
        algorithm.Scaler.FitWithBounds(observations, replay.ObservationSize, environment.ObservationLow, environment.ObservationHigh);
    }
}
