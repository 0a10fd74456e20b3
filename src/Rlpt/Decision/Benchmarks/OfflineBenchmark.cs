using System.Diagnostics;
using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Algorithms;
using Rlpt.Decision.Offline.Collection;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Benchmarks;

public sealed record OfflineBenchmarkResult(string Algorithm, string Environment, int BatchSize, int Updates, double UpdatesPerSecond, double TransitionsPerSecond);

/// <summary>
/// Offline update throughput of every algorithm in its default shape (batch 256, two hidden layers of 256) on random
/// data of CartPole (discrete algorithms) or Pendulum (continuous), after warm-up updates, plus the environments'
/// own steps per second under uniform random actions.
/// </summary>
public static class OfflineBenchmark
{
    public static IReadOnlyList<OfflineBenchmarkResult> Run(int updates, Device device, Action<string>? onPhase = null, int warmup = 5)
    {
        var results = new List<OfflineBenchmarkResult>();
        foreach (var (environment, algorithms) in new[] { ("CartPole-v1", new[] { "bc", "dqn", "double_dqn", "cql" }), ("Pendulum-v1", new[] { "bc", "td3bc", "iql", "sac", "cql", "calql" }) })
        {
            var task = ControlEnvironments.Create(environment);
            var data = DatasetKinds.Play(task, (_, random) => task.Actions.Sample(random), 5_000, new Random(0))
                .ToDataset(new Dictionary<string, string> { [DatasetMetadata.Environment] = environment });
            var returnsToGo = data.ReturnsToGo(0.99);
            foreach (var name in algorithms)
            {
                onPhase?.Invoke($"{name} on {environment}");
                var config = new OfflineTrainingConfig { Algorithm = name };
                using var algorithm = OfflineAlgorithms.Create(OfflinePolicyConfig.For(name, environment, task.ObservationSize, task.Actions, config.HiddenSize, config.NumLayers), config);
                algorithm.Scaler.Fit(data.Observations, data.ObservationSize);
                algorithm.Module.to(device.type, device.index);
                var sampler = new TransitionSampler(data.Count, seed: 0);
                var clock = new Stopwatch();
                for (int step = 0; step < warmup + updates; step++)
                {
                    if (step == warmup) clock.Start();
                    using var scope = NewDisposeScope();
                    algorithm.Update(TransitionBatch.Gather(data, sampler.Rows(step, config.BatchSize), device, returnsToGo));
                }
                double perSecond = updates / clock.Elapsed.TotalSeconds;
                results.Add(new(name, environment, config.BatchSize, updates, perSecond, perSecond * config.BatchSize));
            }
        }
        foreach (var id in ControlEnvironments.Names)
        {
            onPhase?.Invoke($"{id} steps");
            var task = ControlEnvironments.Create(id);
            var random = new Random(0);
            const int steps = 200_000;
            var clock = Stopwatch.StartNew();
            task.Reset(random);
            for (int i = 0; i < steps; i++)
                if (task.Step(task.Actions.Sample(random)).Done) task.Reset(random);
            double stepsPerSecond = steps / clock.Elapsed.TotalSeconds;
            results.Add(new("environment steps", id, 1, steps, stepsPerSecond, stepsPerSecond));
        }
        return results;
    }
}
