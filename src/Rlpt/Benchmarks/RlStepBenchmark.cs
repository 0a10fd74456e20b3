using Rlpt.Data.Store;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Objectives.Rlpt;
using Rlpt.Rewards;
using Rlpt.Telemetry;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Benchmarks;

public sealed record RlStepBenchmarkResult(
    string Rollouts, bool SharePrefix, int Steps, int CompletionsPerStep, int MaxCompletionLength, double MeanPromptTokens, double MeanCompletionLength,
    double StepSeconds, double GenerationSeconds, double RewardSeconds, double TrainingSeconds,
    double GenerationShare, double RolloutTokensPerSecond, double PeakResidentMegabytes);

/// <summary>
/// Real GRPO steps (the trainer itself, in a scratch directory) on a model and dataset, timed from the trainer's own
/// per-step metrics. The first step is a warm-up and is not counted: LibTorch's first calls are much slower.
/// <see cref="Compare"/> runs the shared-prefix and the unshared paths one after the other on the same prompts and seeds.
/// </summary>
public static class RlStepBenchmark
{
    public static RlStepBenchmarkResult Run(
        string modelDirectory, string dataDirectory, GrpoConfig grpo, RlptTaskOptions tasks, IReadOnlyDictionary<string, double> rewardWeights,
        int steps, Device device, Action<int>? onStep = null, Func<CausalLM, Tokenization.Tokenizer, Training.Rl.Rollouts.IRolloutEngine>? rollouts = null)
    {
        if (steps < 1) throw new ArgumentException("steps must be at least 1.");
        var scratch = Directory.CreateTempSubdirectory("rlpt-bench-rl-").FullName;
        double[] promptTokens = [];
        try
        {
            var (policy, tokenizer) = ModelFolder.Load(modelDirectory, device);
            using (policy)
            using (var data = TokenDataset.Open(dataDirectory))
            {
                var sampler = new RlptTaskSampler(data.Train, tokenizer, data.Meta.Sources, tasks);
                var config = grpo with { MaxSteps = steps + 1, SaveEvery = 0 };
                using var objective = new RlptObjective(sampler, tokenizer, RewardRegistry.Compose(rewardWeights));
                promptTokens = Enumerable.Range(0, config.MaxSteps * grpo.PromptsPerStep).Select(i => (double)tokenizer.Encode(sampler.Draw(i).Prompt).Count).ToArray();
                using var algorithm = new GrpoAlgorithm(config, policy, tokenizer, objective, device, rollouts?.Invoke(policy, tokenizer));
                new TrainingRun(scratch) { OnStep = s => onStep?.Invoke(s.Step) }.Run(algorithm, resume: false);
            }
            var timed = MetricsWriter.Read(Path.Combine(scratch, MetricsWriter.FileName)).Skip(1).ToArray();
            double Mean(string key) => timed.Average(m => m[key].GetDouble());
            double step = Mean("step_time"), generation = Mean("time/generation");
            return new RlStepBenchmarkResult(
                rollouts is null ? "local" : "remote", grpo.SharePrefix, timed.Length, grpo.PromptsPerStep * grpo.NumGenerations, grpo.MaxCompletionLength, promptTokens.Average(), Mean("completions/mean_length"),
                step, generation, Mean("time/reward"), Mean("time/training"), generation / step,
                Mean("rollout_tokens_per_second"), TrainingBenchmark.PeakResidentBytes() / 1e6);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Both paths on the same prompts and seeds (the rollouts agree up to the float drift of the two updated policies).</summary>
    public static RlStepComparison Compare(
        string modelDirectory, string dataDirectory, GrpoConfig grpo, RlptTaskOptions tasks, IReadOnlyDictionary<string, double> rewardWeights,
        int steps, Device device, Action<int>? onStep = null)
    {
        var shared = Run(modelDirectory, dataDirectory, grpo with { SharePrefix = true }, tasks, rewardWeights, steps, device, onStep);
        var unshared = Run(modelDirectory, dataDirectory, grpo with { SharePrefix = false }, tasks, rewardWeights, steps, device, s => onStep?.Invoke(steps + 1 + s));
        return new RlStepComparison(shared, unshared, unshared.StepSeconds / shared.StepSeconds);
    }

    /// <summary>Local rollouts against rollouts on engines (weights synced every step), on the same prompts and seeds.</summary>
    public static RlStepComparison CompareEngines(
        string modelDirectory, string dataDirectory, GrpoConfig grpo, RlptTaskOptions tasks, IReadOnlyDictionary<string, double> rewardWeights,
        int steps, Device device, Func<CausalLM, Tokenization.Tokenizer, Training.Rl.Rollouts.IRolloutEngine> remote, Action<int>? onStep = null)
    {
        var local = Run(modelDirectory, dataDirectory, grpo, tasks, rewardWeights, steps, device, onStep);
        var engines = Run(modelDirectory, dataDirectory, grpo, tasks, rewardWeights, steps, device, s => onStep?.Invoke(steps + 1 + s), remote);
        return new RlStepComparison(local, engines, engines.StepSeconds / local.StepSeconds);
    }
}

/// <param name="StepTimeRatio">The variant's step seconds ÷ the baseline's (unshared ÷ shared: the speedup of sharing; remote ÷ local).</param>
public sealed record RlStepComparison(RlStepBenchmarkResult Baseline, RlStepBenchmarkResult Variant, double StepTimeRatio);
