using System.Diagnostics;
using Rlpt.Decision.Environments;
using Rlpt.Decision.InContext;
using Rlpt.Decision.InContext.Ad;
using Rlpt.Decision.InContext.Dpt;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Decision.Benchmarks;

public sealed record InContextBenchmarkResult(
    string Method, string Environment, long Parameters, int BatchSize, int SequenceLength, int Steps,
    double SamplesPerSecond, double TokensPerSecond, double EvaluationSeconds, double ActingStepsPerSecond);

/// <summary>
/// Throughput of the in-context learners in their default shapes: DPT training on Dark Room contexts (100 transitions
/// plus the query), AD training on 80-step windows of AD's room, and the in-context evaluation's acting speed (Dark Room
/// online episodes for DPT, AD's episodes on every task), each after warm-up steps.
/// </summary>
public static class InContextBenchmark
{
    public static IReadOnlyList<InContextBenchmarkResult> Run(int steps, Device device, Action<string>? onPhase = null, int warmupSteps = 3)
    {
        var config = new InContextTrainingConfig { MaxSteps = warmupSteps + steps, EvalEvery = 0, SaveEvery = 0 };
        var room = new TaskFamily();
        onPhase?.Invoke("dpt");
        var contexts = ContextSampling.Build(room, 2_000, room.Horizon, seed: 0, heldOut: false);
        InContextBenchmarkResult dpt;
        using (var algorithm = new DptAlgorithm(config, contexts, null, device))
        {
            double samples = Train(algorithm, config, steps, warmupSteps);
            algorithm.Policy.eval();
            var watch = Stopwatch.StartNew();
            var evaluation = DarkRoomEvaluation.Run(algorithm.Policy, new DarkRoomEvaluationOptions { ContextsPerTask = 1, OnlineEpisodes = 2 }, device);
            double seconds = watch.Elapsed.TotalSeconds;
            // Offline greedy + sampled episodes and the online ones: one model call per step of each (20 tasks in lockstep).
            double actingSteps = (2.0 * evaluation.OfflineGreedyReturns.Length + evaluation.OnlineReturns.Length * 2) * room.Horizon;
            dpt = new("dpt", room.Name, algorithm.Policy.ParameterCount, config.BatchSize, contexts.ContextLength + 1, steps,
                samples, samples * (contexts.ContextLength + 1), seconds, actingSteps / seconds);
        }
        onPhase?.Invoke("ad");
        var adRoom = new TaskFamily { Size = 9, Horizon = 20, Start = "center" };
        var histories = HistoryCollection.Collect(adRoom, "epsilon", historiesPerTask: 4, episodes: 40, actionNoise: 0, seed: 0);
        var adConfig = config with { Method = "ad" };
        using var ad = new AdAlgorithm(adConfig, histories, null, device);
        double windows = Train(ad, adConfig, steps, warmupSteps);
        ad.Policy.eval();
        var clock = Stopwatch.StartNew();
        var played = AdEvaluation.Run(ad.Policy, new AdEvaluationOptions { Episodes = 2 }, device);
        double adSeconds = clock.Elapsed.TotalSeconds;
        double adActing = (played.TrainReturns.Length + played.HeldOutReturns.Length) * 2.0 * adRoom.Horizon;
        return [dpt, new("ad", adRoom.Name + " 9x9", ad.Policy.ParameterCount, adConfig.BatchSize, adConfig.SequenceLength, steps,
            windows, windows * adConfig.SequenceLength, adSeconds, adActing / adSeconds)];
    }

    /// <summary>Sequences per second over the timed steps.</summary>
    private static double Train(InContextTrainer algorithm, InContextTrainingConfig config, int steps, int warmupSteps)
    {
        var context = new StepContext("", _ => { }, CancellationToken.None);
        for (int i = 0; i < warmupSteps; i++) algorithm.Step(i, context);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) algorithm.Step(warmupSteps + i, context);
        return (double)config.BatchSize * steps / watch.Elapsed.TotalSeconds;
    }
}
