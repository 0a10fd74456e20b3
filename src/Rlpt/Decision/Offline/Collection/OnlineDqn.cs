using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Algorithms;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Collection;

/// <summary>The outcome of an online run: the expert (its best evaluated policy), every transition it saw, and its greedy-evaluation curve.</summary>
public sealed record OnlineRun(Dqn Expert, OfflinePolicyConfig Shape, EpisodeRecorder Replay, IReadOnlyList<(int Step, double Return)> Curve, double ExpertReturn);

/// <summary>
/// Online double DQN with ε-greedy exploration on one classic-control task: the same <see cref="Dqn"/> update the
/// offline trainer uses, on a replay buffer that keeps every transition. The observation scaler is fitted once, on
/// the transitions gathered before learning starts, and then frozen.
/// </summary>
public static class OnlineDqn
{
    public static OnlineRun Train(string environmentId, OnlineDqnConfig config, int seed, Device device, Action<int, double?>? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        var environment = ControlEnvironments.Create(environmentId);
        if (!environment.Actions.Discrete) throw new ArgumentException($"online DQN needs discrete actions; {environmentId} has a continuous action space.");
        var shape = OfflinePolicyConfig.For("double_dqn", environmentId, environment.ObservationSize, environment.Actions, config.HiddenSize, config.NumLayers);
        manual_seed(seed);
        var dqn = new Dqn(shape, new OfflineTrainingConfig
        {
            Algorithm = "double_dqn", LearningRate = config.LearningRate, Gamma = config.Gamma, TargetUpdateInterval = config.TargetUpdateInterval,
            HiddenSize = config.HiddenSize, NumLayers = config.NumLayers, BatchSize = config.BatchSize,
        }, doubleQ: true);
        dqn.to(device.type, device.index);
        var replay = new EpisodeRecorder(environment.ObservationSize, 1);
        var random = new Random(seed);
        var curve = new List<(int, double)>();
        Dictionary<string, Tensor>? best = null;
        double bestReturn = double.NegativeInfinity;
        var observation = environment.Reset(random);
        for (int step = 0; step < config.TotalSteps; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            double epsilon = Math.Max(config.FinalEpsilon, 1 - (1 - config.FinalEpsilon) * step / (config.ExplorationFraction * config.TotalSteps));
            float[] action = random.NextDouble() < epsilon ? environment.Actions.Sample(random) : Greedy(dqn, observation, device);
            var result = environment.Step(action);
            replay.Add(observation, action, result);
            observation = result.Done ? environment.Reset(random) : result.Observation;
            if (step + 1 == config.LearningStarts || (config.LearningStarts == 0 && step == 0)) FitScaler(dqn, replay);
            if (step + 1 >= config.LearningStarts && (step + 1) % config.TrainFreq == 0)
            {
                var rows = Enumerable.Range(0, config.BatchSize).Select(_ => random.Next(replay.Count)).ToArray();
                using var scope = NewDisposeScope();
                dqn.Update(TransitionBatch.Gather(replay, rows, device));
            }
            if ((step + 1) % config.EvalEvery == 0 || step + 1 == config.TotalSteps)
            {
                dqn.eval();
                double mean = PolicyEvaluation.Run(dqn.Act, environmentId, config.EvalEpisodes, OfflineTrainer.EvaluationSeed, device).Mean;
                dqn.train();
                curve.Add((step + 1, mean));
                if (mean > bestReturn)
                {
                    bestReturn = mean;
                    if (best is not null) foreach (var tensor in best.Values) tensor.Dispose();
                    best = dqn.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
                }
                progress?.Invoke(step + 1, mean);
            }
            else if ((step + 1) % 1000 == 0) progress?.Invoke(step + 1, null);
        }
        using (no_grad())
            foreach (var (key, target) in dqn.state_dict()) target.copy_(best![key]);
        foreach (var tensor in best!.Values) tensor.Dispose();
        dqn.eval();
        return new OnlineRun(dqn, shape, replay, curve, bestReturn);
    }

    /// <summary>The greedy action of one observation.</summary>
    public static float[] Greedy(IOfflineAlgorithm policy, float[] observation, Device device)
    {
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        return policy.Act(tensor(observation, [1, observation.Length], device: device)).cpu().data<float>().ToArray();
    }

    private static void FitScaler(Dqn dqn, EpisodeRecorder replay)
    {
        var observations = new float[replay.Count * replay.ObservationSize];
        for (int row = 0; row < replay.Count; row++) replay.Observation(row).CopyTo(observations.AsSpan(row * replay.ObservationSize));
        dqn.Scaler.Fit(observations, replay.ObservationSize);
    }
}
