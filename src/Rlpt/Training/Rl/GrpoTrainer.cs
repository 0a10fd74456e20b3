using System.Diagnostics;
using System.Text.Json;
using Rlpt.Generation;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Rewards;
using Rlpt.Telemetry;
using Rlpt.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>What one RL step reports (the full set goes to metrics.jsonl).</summary>
public sealed record GrpoStep(int Step, int MaxSteps, double Reward, double RewardStd, double FracRewardZeroStd, double MeanLength, double Seconds);

public sealed record GrpoResult(int Steps, bool Interrupted, string ModelDirectory);

/// <summary>
/// Group Relative Policy Optimization on any prompt source: G sampled completions per prompt, rewards composed
/// from reward functions, group-relative advantages, a clipped policy loss and its aggregation chosen by name
/// from the registries, optional KL to a frozen reference (β &gt; 0), dynamic sampling and overlong shaping.
/// Importance ratios use the log-probabilities stored at rollout, not a recomputation, since the policy has not
/// changed in between; only later iterations (μ &gt; 1) see a moved policy.
/// </summary>
public sealed class GrpoTrainer(GrpoConfig config, CausalLM policy, Tokenizer tokenizer, IPromptSource prompts, RewardComposer rewards, string runDirectory, Device device)
{
    public const string CompletionsFileName = "completions.jsonl";
    public const string ModelFolderName = "model";

    public Action<GrpoStep>? OnStep { get; init; }
    public Action<string>? Log { get; init; }

    public GrpoResult Run(bool resume, CancellationToken cancellation = default)
    {
        config.Validate();
        var latest = Pretrainer.CheckRunDirectory(runDirectory, resume);
        var estimator = AdvantageEstimators.Get(config.AdvantageEstimator);
        var loss = PolicyLosses.Get(config.PolicyLoss);
        policy.to(device);
        policy.train();
        using var optimizer = new AdamW(policy.named_parameters(), weightDecay: 0.0);
        using var reference = config.Beta > 0 ? FrozenCopy(policy) : null;
        var state = new TrainerState { Seed = config.Seed };
        if (resume)
        {
            state = Checkpoints.Restore(latest!, policy, optimizer);
            prompts.Restore(state.TaskSamplerDrawn);
            Log?.Invoke($"resumed from {latest} at step {state.GlobalStep}");
        }
        Directory.CreateDirectory(runDirectory);
        using var metrics = new MetricsWriter(runDirectory, append: resume);
        var generator = new BatchGenerator(policy, tokenizer);
        int constantRewardSteps = 0;
        bool interrupted = false;

        while (state.GlobalStep < config.MaxSteps)
        {
            if (cancellation.IsCancellationRequested) { interrupted = true; break; }
            var clock = Stopwatch.StartNew();
            int step = state.GlobalStep;
            var rollout = Rollout(generator, step, cancellation);
            double generationSeconds = rollout.GenerationSeconds, rewardSeconds = rollout.RewardSeconds;
            var groups = rollout.Groups;
            if (config.DynamicSampling)
            {
                // DAPO: only groups whose rewards differ carry a gradient; refill with fresh prompts (bounded).
                for (int round = 0; round < 3 && groups.Count(g => g.HasSignal) < config.PromptsPerStep; round++)
                {
                    var more = Rollout(generator, step, cancellation, round + 1);
                    generationSeconds += more.GenerationSeconds;
                    rewardSeconds += more.RewardSeconds;
                    groups = [.. groups, .. more.Groups];
                }
            }
            var all = rollout.Groups;
            var trained = config.DynamicSampling ? groups.Where(g => g.HasSignal).Take(config.PromptsPerStep).ToList() : groups;

            var trainClock = Stopwatch.StartNew();
            var update = trained.Count > 0 ? Update(trained, estimator, loss, optimizer, reference) : UpdateMetrics.Empty;
            double trainingSeconds = trainClock.Elapsed.TotalSeconds;

            state = state with { GlobalStep = step + 1, TaskSamplerDrawn = prompts.Drawn, TokensSeen = state.TokensSeen + all.Sum(g => g.Completions.Sum(c => c.TokenIds.Count)) };
            var record = StepRecord(state, all, update, generationSeconds, rewardSeconds, trainingSeconds, clock.Elapsed.TotalSeconds);
            metrics.Write(record);
            if (config.LogCompletionsEvery > 0 && state.GlobalStep % config.LogCompletionsEvery == 0) LogCompletions(state.GlobalStep, all);

            double fracZeroStd = all.Count(g => !g.HasSignal) / (double)all.Count;
            constantRewardSteps = fracZeroStd == 1 ? constantRewardSteps + 1 : 0;
            if (constantRewardSteps == config.ConstantRewardWarningSteps)
                Log?.Invoke($"WARNING: every group has had identical rewards for {constantRewardSteps} steps: there is no learning signal (check the rewards, the task difficulty and the cold start).");
            OnStep?.Invoke(new GrpoStep(state.GlobalStep, config.MaxSteps, (double)record["reward"], (double)record["reward_std"], fracZeroStd, (double)record["completions/mean_length"], clock.Elapsed.TotalSeconds));
            if (config.SaveEvery > 0 && state.GlobalStep % config.SaveEvery == 0 && state.GlobalStep < config.MaxSteps)
                Checkpoints.Save(runDirectory, policy, tokenizer, optimizer, state, config.SaveTotalLimit);
        }
        if (state.GlobalStep > 0) Checkpoints.Save(runDirectory, policy, tokenizer, optimizer, state, config.SaveTotalLimit);
        var modelDirectory = Path.Combine(runDirectory, ModelFolderName);
        if (!interrupted) ModelFolder.Save(modelDirectory, policy, tokenizer);
        return new GrpoResult(state.GlobalStep, interrupted, modelDirectory);
    }

    /// <summary>G completions for each of prompts_per_step fresh prompts, scored.</summary>
    private (List<Group> Groups, double GenerationSeconds, double RewardSeconds) Rollout(BatchGenerator generator, int step, CancellationToken cancellation, int round = 0)
    {
        var drawn = Enumerable.Range(0, config.PromptsPerStep).Select(_ => prompts.Next()).ToArray();
        var encoded = drawn.Select(p => tokenizer.Encode(p.Prompt)).ToArray();
        var requests = encoded.SelectMany((ids, p) => Enumerable.Range(0, config.NumGenerations).Select(g => new GenerationRequest(ids, new SamplingOptions
        {
            MaxNewTokens = config.MaxCompletionLength,
            Temperature = config.Temperature,
            StopStrings = [SpecialTokens.ImEnd],
            Seed = RolloutSeed(step, round, p, g),
        }))).ToArray();
        var clock = Stopwatch.StartNew();
        policy.eval();
        var completions = generator.Generate(requests, cancellation);
        policy.train();
        double generationSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var inputs = completions.Select((c, i) =>
        {
            var prompt = drawn[i / config.NumGenerations];
            return new RewardInput(prompt.Prompt, c.Text, PredictionExtractor.Extract(c.Text), prompt.Reference, prompt.ReferenceContinuation, prompt.Metadata);
        }).ToArray();
        var scored = rewards.ScoreAsync(inputs, cancellation).GetAwaiter().GetResult();
        double rewardSeconds = clock.Elapsed.TotalSeconds;

        var groups = new List<Group>();
        for (int p = 0; p < drawn.Length; p++)
        {
            var range = Enumerable.Range(p * config.NumGenerations, config.NumGenerations).ToArray();
            var total = range.Select(i => scored.Total[i] + OverlongPenalty(completions[i])).ToArray();
            var perFunction = scored.PerFunction.ToDictionary(kv => kv.Key, kv => range.Select(i => kv.Value[i]).ToArray());
            groups.Add(new Group(drawn[p], encoded[p], range.Select(i => completions[i]).ToArray(), total, perFunction));
        }
        foreach (var (name, failures) in scored.Failures.Where(f => f.Value > 0))
            Log?.Invoke($"reward '{name}': {failures} completions could not be scored this step (scored 0)");
        return (groups, generationSeconds, rewardSeconds);
    }

    // Distinct per (seed, step, round, prompt, sample) and independent of batch composition.
    private int RolloutSeed(int step, int round, int prompt, int sample) =>
        SamplingSeeds.Derive($"{config.Seed}/{step}/{round}/{prompt}/{sample}");

    /// <summary>DAPO's soft overlong punishment: linear from 0 to −1 over the last overlong_buffer tokens.</summary>
    private double OverlongPenalty(GenerationResult completion)
    {
        if (config.OverlongBuffer <= 0) return 0;
        int free = config.MaxCompletionLength - config.OverlongBuffer;
        return completion.TokenIds.Count <= free ? 0 : -(double)(completion.TokenIds.Count - free) / config.OverlongBuffer;
    }

    private UpdateMetrics Update(IReadOnlyList<Group> groups, IAdvantageEstimator estimator, IPolicyLoss loss, AdamW optimizer, CausalLM? reference)
    {
        using var scope = NewDisposeScope();
        var rewardsTensor = tensor(groups.SelectMany(g => g.Rewards).Select(r => (float)r).ToArray(), [groups.Count, config.NumGenerations]);
        var advantages = estimator.Compute(rewardsTensor).reshape(-1).cpu().data<float>().ToArray();
        var sequences = groups.SelectMany(g => g.Completions.Select(c => (Prompt: g.PromptIds, Completion: c))).ToArray();
        var masks = sequences.Select(s => config.MaskTruncatedCompletions && s.Completion.FinishReason == FinishReason.Length ? 0f : 1f).ToArray();
        // Divisors fixed across micro-batches, so the summed micro-batch losses equal the whole batch's loss.
        double globalTokens = sequences.Select((s, i) => s.Completion.TokenIds.Count * masks[i]).Sum();
        int globalSequences = LossAggregation.CountSequences(
            tensor(sequences.Select((s, i) => s.Completion.TokenIds.Count * masks[i] > 0 ? 1f : 0f).ToArray()).unsqueeze(1), config.LossAggregation);
        var totals = new UpdateAccumulator();
        for (int iteration = 0; iteration < config.NumIterations; iteration++)
        {
            foreach (var micro in Enumerable.Range(0, sequences.Length).Chunk(config.MicroBatchSize))
            {
                using var microScope = NewDisposeScope();
                var batch = RlBatch.Build(micro.Select(i => (sequences[i].Prompt, sequences[i].Completion.TokenIds, sequences[i].Completion.LogProbs, masks[i], advantages[i])).ToArray(), tokenizer.PadId, device);
                var logits = policy.Forward(batch.InputIds);
                var logProbs = RlBatch.TokenLogProbs(logits, batch.Targets, config.Temperature);
                Tensor? referenceLogProbs = null;
                if (reference is not null)
                    using (no_grad()) referenceLogProbs = RlBatch.TokenLogProbs(reference.Forward(batch.InputIds), batch.Targets, config.Temperature);
                var output = loss.Compute(new PolicyLossInput(logProbs, batch.OldLogProbs, batch.Advantages, batch.Mask, referenceLogProbs), config);
                var aggregated = LossAggregation.Aggregate(output.TokenLoss, batch.Mask, config.LossAggregation, config.MaxCompletionLength,
                    tensor((float)Math.Max(globalTokens, 1)), Math.Max(globalSequences, 1));
                aggregated.backward();
                using (no_grad())
                {
                    totals.Add(batch.Mask, RlMetrics.TokenEntropy(logits.narrow(1, 0, logits.shape[1] - 1) / config.Temperature, batch.Mask),
                        output, referenceLogProbs is null ? null : KlEstimators.K3(logProbs, referenceLogProbs));
                }
            }
            double gradNorm = config.MaxGradNorm > 0 ? nn.utils.clip_grad_norm_(optimizer.Parameters, config.MaxGradNorm) : double.NaN;
            optimizer.StepWith(config.LearningRate);
            optimizer.ZeroGrad();
            totals.GradNorm = gradNorm;
        }
        return totals.Result();
    }

    private static CausalLM FrozenCopy(CausalLM model)
    {
        var copy = new CausalLM(model.Config);
        ModelFolder.LoadWeights(copy, model.state_dict(), "policy");
        foreach (var p in copy.parameters()) p.requires_grad = false;
        copy.to(model.parameters().First().device);
        copy.eval();
        return copy;
    }

    private Dictionary<string, object> StepRecord(TrainerState state, IReadOnlyList<Group> groups, UpdateMetrics update, double generation, double reward, double training, double total)
    {
        var all = groups.SelectMany(g => g.Rewards).ToArray();
        var lengths = groups.SelectMany(g => g.Completions.Select(c => (double)c.TokenIds.Count)).ToArray();
        var terminated = groups.SelectMany(g => g.Completions).Where(c => c.FinishReason == FinishReason.Stop).Select(c => (double)c.TokenIds.Count).ToArray();
        var record = new Dictionary<string, object>
        {
            ["step"] = state.GlobalStep,
            ["reward"] = all.Average(),
            ["reward_std"] = groups.Average(g => StandardDeviation(g.Rewards)),
            [RlMetrics.FracRewardZeroStd] = groups.Count(g => !g.HasSignal) / (double)groups.Count,
            ["completions/mean_length"] = lengths.Average(),
            ["completions/min_length"] = lengths.Min(),
            ["completions/max_length"] = lengths.Max(),
            ["completions/mean_terminated_length"] = terminated.Length > 0 ? terminated.Average() : 0.0,
            ["completions/clipped_ratio"] = groups.SelectMany(g => g.Completions).Count(c => c.FinishReason == FinishReason.Length) / (double)lengths.Length,
            [RlMetrics.Entropy] = update.Entropy,
            [RlMetrics.ClipRatioLowMean] = update.ClipLow,
            [RlMetrics.ClipRatioHighMean] = update.ClipHigh,
            [RlMetrics.ClipRatioRegionMean] = update.ClipLow + update.ClipHigh,
            ["grad_norm"] = update.GradNorm,
            ["lr"] = config.LearningRate,
            ["num_tokens"] = state.TokensSeen,
            ["time/generation"] = generation,
            ["time/reward"] = reward,
            ["time/training"] = training,
            ["step_time"] = total,
            ["rollout_tokens_per_second"] = lengths.Sum() / Math.Max(generation, 1e-9),
        };
        if (config.Beta > 0) record["kl"] = update.Kl;
        foreach (var name in groups[0].PerFunction.Keys)
            record[$"rewards/{name}/mean"] = groups.SelectMany(g => g.PerFunction[name]).Average();
        return record;
    }

    private void LogCompletions(int step, IReadOnlyList<Group> groups)
    {
        var lines = groups.Take(2).SelectMany(g => g.Completions.Take(2).Select((c, i) => JsonSerializer.Serialize(new
        {
            step, prompt = g.Prompt.Prompt, completion = c.Text, reward = g.Rewards[i], reference = g.Prompt.Reference,
        })));
        File.AppendAllLines(Path.Combine(runDirectory, CompletionsFileName), lines);
    }

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }

    /// <summary>One prompt's G completions and their rewards.</summary>
    private sealed record Group(RlPrompt Prompt, IReadOnlyList<int> PromptIds, IReadOnlyList<GenerationResult> Completions, IReadOnlyList<double> Rewards, IReadOnlyDictionary<string, double[]> PerFunction)
    {
        public bool HasSignal => Rewards.Distinct().Count() > 1;
    }
}
