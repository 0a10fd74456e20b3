using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Rlpt.Generation;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using Rlpt.Training.Rl.Critic;
using Rlpt.Training.Rl.Rollouts;
using Rlpt.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// Group Relative Policy Optimization over any <see cref="IRlObjective"/>, as a pipeline of stages each chosen by name:
/// rollout (G sampled completions per prompt) → reward (the objective's) → filter (dynamic sampling, the objective's
/// own) → advantage (<see cref="AdvantageEstimators"/>) → loss (<see cref="PolicyLosses"/>, plus β·KL by
/// <see cref="KlEstimators"/> in the loss or in the reward) → aggregation (<see cref="LossAggregation"/>).
/// Importance ratios use the log-probabilities stored at rollout, not a recomputation, since the policy has not
/// changed in between; only later iterations (μ &gt; 1) see a moved policy. With the gae estimator this is PPO: a value
/// head on the policy's hidden states (<see cref="ValueHead"/>) gives token-level GAE advantages and is trained by a
/// clipped value loss in the same backward pass.
/// </summary>
public sealed class GrpoAlgorithm : ITrainingAlgorithm
{
    private readonly GrpoConfig config;
    private readonly IRlObjective objective;
    private readonly Device device;
    private readonly IAdvantageEstimator? estimator;
    private readonly ValueHead? critic;
    private readonly IPolicyLoss loss;
    private readonly Func<Tensor, Tensor, Tensor> kl;
    private readonly IReadOnlyList<IGroupFilter> filters;
    private readonly AdamW optimizer;
    private readonly CausalLM? reference;
    private readonly IRolloutEngine rollouts;
    private readonly CancellationTokenSource stopping = new();
    private PendingRollout? prefetched;
    private int constantRewardSteps;
    private long tokensSeen;

    /// <param name="policy">The model to train; the caller keeps ownership.</param>
    /// <param name="rollouts">Where rollouts are generated (owned by the algorithm from here); null samples from the policy in this process.</param>
    public GrpoAlgorithm(GrpoConfig config, CausalLM policy, Tokenizer tokenizer, IRlObjective objective, Device device, IRolloutEngine? rollouts = null)
    {
        config.Validate();
        this.config = config;
        this.objective = objective;
        this.device = device;
        estimator = config.UsesCritic ? null : AdvantageEstimators.Get(config.AdvantageEstimator);
        loss = PolicyLosses.Create(config.PolicyLoss, config);
        kl = KlEstimators.Get(config.KlEstimator);
        filters = [.. config.DynamicSampling ? [new NonConstantRewardFilter()] : Array.Empty<IGroupFilter>(), .. objective.Filters];
        Policy = policy;
        Tokenizer = tokenizer;
        policy.to(device);
        if (config.UsesCritic)
        {
            critic = new ValueHead(policy.Config.HiddenSize);
            critic.to(device);
        }
        // One optimizer for both: with a shared trunk the value loss trains the trunk too (weighted by vf_coef).
        optimizer = new AdamW(policy.named_parameters().Concat(critic?.named_parameters().Select(p => ($"value_head.{p.name}", p.parameter)) ?? []), weightDecay: 0.0);
        reference = config.Beta > 0 ? FrozenCopy.Of(policy) : null;
        this.rollouts = rollouts ?? new LocalRolloutEngine(policy, tokenizer, config.SharePrefix);
        var modules = new Dictionary<string, nn.Module>(objective.Modules);
        if (reference is not null) modules["reference"] = reference;
        if (critic is not null) modules["value_head"] = critic;
        Modules = modules;
        Optimizers = new Dictionary<string, AdamW> { ["policy"] = optimizer };
    }

    public string Name => "grpo";
    public int MaxSteps => config.MaxSteps;
    public SavePolicy Saving => config.Saving;
    public CausalLM Policy { get; }
    public Tokenizer Tokenizer { get; }
    public ITrainedModel Model => new LanguageModelFolder(Policy, Tokenizer);
    public IReadOnlyDictionary<string, nn.Module> Modules { get; }
    public IReadOnlyDictionary<string, AdamW> Optimizers { get; }

    public JsonObject SaveState() => RunState.ToJson(new Progress { ConstantRewardSteps = constantRewardSteps, TokensSeen = tokensSeen, Objective = objective.Name, ObjectiveState = objective.SaveState() });

    public void RestoreState(JsonObject state)
    {
        var progress = RunState.FromJson<Progress>(state, "GRPO");
        if (progress.Objective != objective.Name)
            throw new InvalidDataException($"the checkpoint trained the '{progress.Objective}' objective, not '{objective.Name}'.");
        constantRewardSteps = progress.ConstantRewardSteps;
        tokensSeen = progress.TokensSeen;
        objective.RestoreState(progress.ObjectiveState);
    }

    public StepOutcome Step(int step, StepContext run)
    {
        // A signal stops the rollouts at once; the prompts already drawn are put back, so the run loop can checkpoint
        // the last whole step. Rollouts and rewards come before the update, so nothing else has changed yet.
        var before = SaveState();
        try
        {
            return RunStep(step, run);
        }
        catch (OperationCanceledException) when (run.Cancellation.IsCancellationRequested)
        {
            RestoreState(before);
            prefetched = null;
            throw;
        }
    }

    private StepOutcome RunStep(int step, StepContext run)
    {
        var clock = Stopwatch.StartNew();
        var context = new RlContext(Policy, Tokenizer, device, config.Temperature, step);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(run.Cancellation, stopping.Token);
        if (rollouts.Remote && (rollouts.WeightVersion is not int synced || step - synced >= config.WeightSyncSteps))
            rollouts.SyncWeights(step, cancellation.Token);
        var first = prefetched is { Step: var ahead } pending && ahead == step ? Score(pending, context, cancellation.Token) : Rollout(context, round: 0, cancellation.Token);
        prefetched = null;
        // Asynchronous rollouts: the next step's generation runs on the engines while this step trains.
        if (config.AsyncRollouts && step + 1 < config.MaxSteps)
            prefetched = StartRollout(new RlContext(Policy, Tokenizer, device, config.Temperature, step + 1), round: 0, stopping.Token);
        var rounds = new List<Round> { first };
        var trained = first.Batch.Groups.Where(Kept).ToList();
        if (config.DynamicSampling)
        {
            // DAPO: only groups that pass the filters are trained on; refill with fresh prompts (bounded).
            for (int round = 1; round <= 3 && trained.Count < config.PromptsPerStep; round++)
            {
                var more = Rollout(context, round, cancellation.Token);
                rounds.Add(more);
                trained.AddRange(more.Batch.Groups.Where(Kept));
            }
            trained = trained.Take(config.PromptsPerStep).ToList();
        }
        var all = first.Batch.Groups;
        // HPT: prompts the policy fails are learned from their demonstrations instead (kept even when their rewards are constant).
        var demonstrated = config.HptGamma is double gamma ? rounds.SelectMany(r => r.Batch.Groups).Where(g => g.Prompt.Demonstration is not null && Accuracy(g) <= gamma).ToList() : [];
        trained = trained.Except(demonstrated).ToList();

        tokensSeen += all.Sum(g => g.Completions.Sum(c => c.TokenIds.Count));
        var trainClock = Stopwatch.StartNew();
        var update = trained.Count + demonstrated.Count > 0 ? Update(trained, demonstrated) : UpdateMetrics.Empty;
        if (config.HptGamma is not null)
            update = update with
            {
                Extra = new Dictionary<string, double>(update.Extra ?? new Dictionary<string, double>())
                {
                    ["hpt/sft_share"] = demonstrated.Count / (double)rounds.Sum(r => r.Batch.Groups.Count),
                    ["hpt/accuracy"] = rounds.SelectMany(r => r.Batch.Groups).Average(Accuracy),
                },
            };
        objective.AfterUpdate(context);
        double trainingSeconds = trainClock.Elapsed.TotalSeconds;

        var record = StepRecord(all, update, rounds, trained.Count, trainingSeconds, clock.Elapsed.TotalSeconds);
        if (config.LogCompletionsEvery > 0 && (step + 1) % config.LogCompletionsEvery == 0) LogCompletions(run.RunDirectory, step + 1, all);
        double fracZeroStd = all.Count(g => !g.HasSignal) / (double)all.Count;
        constantRewardSteps = fracZeroStd == 1 ? constantRewardSteps + 1 : 0;
        if (constantRewardSteps == config.ConstantRewardWarningSteps)
            run.Log($"WARNING: every group has had identical rewards for {constantRewardSteps} steps: there is no learning signal (check the rewards, the task difficulty and the cold start).");
        return new StepOutcome(record, update.Loss);
    }

    private bool Kept(RolloutGroup group) => filters.All(f => f.Keep(group));

    /// <summary>A prompt's demonstration as a completion, cut to max_completion_length tokens like a rollout.</summary>
    private GenerationResult Demonstration(RolloutPrompt prompt)
    {
        var ids = Tokenizer.Encode(prompt.Demonstration!).Take(config.MaxCompletionLength).ToArray();
        return new GenerationResult(ids, new float[ids.Length], prompt.Demonstration!, FinishReason.Stop, prompt.PromptIds.Count);
    }

    /// <summary>HPT's P: the share of a group's rollouts whose reward reaches hpt_correct_reward.</summary>
    private double Accuracy(RolloutGroup group) => group.Rewards.Count(r => r >= config.HptCorrectReward) / (double)group.Rewards.Length;

    /// <summary>The rollout and reward stages for prompts_per_step fresh prompts.</summary>
    private Round Rollout(RlContext context, int round, CancellationToken cancellation) => Score(StartRollout(context, round, cancellation), context, cancellation);

    /// <summary>Draws the prompts and starts generating their G completions each.</summary>
    private PendingRollout StartRollout(RlContext context, int round, CancellationToken cancellation)
    {
        var started = Stopwatch.StartNew();
        var prompts = Enumerable.Range(0, config.PromptsPerStep).Select(_ => objective.NextPrompt(context)).ToArray();
        var requests = prompts.SelectMany((prompt, p) => Enumerable.Range(0, config.NumGenerations).Select(g => new GenerationRequest(prompt.PromptIds, new SamplingOptions
        {
            MaxNewTokens = config.MaxCompletionLength,
            Temperature = config.Temperature,
            StopStrings = prompt.StopStrings,
            Seed = RolloutSeed(context.Step, round, p, g),
        }))).ToArray();
        async Task<(IReadOnlyList<GenerationResult>, double)> Timed()
        {
            var clock = Stopwatch.StartNew();
            var results = await rollouts.GenerateAsync(requests, cancellation);
            return (results, clock.Elapsed.TotalSeconds);
        }
        // The local engine generates right here; a remote one returns at once and its requests run on the thread pool.
        var generation = Timed();
        return new PendingRollout(context.Step, round, prompts, generation, started.Elapsed.TotalSeconds);
    }

    /// <summary>Waits for a rollout's completions (generating them again if their weights are too old) and scores them.</summary>
    private Round Score(PendingRollout pending, RlContext context, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var (completions, generationSeconds) = pending.Generation.GetAwaiter().GetResult();
        var versions = completions.Select(c => int.TryParse(c.WeightVersion, out var v) ? v : (int?)null).OfType<int>().ToArray();
        bool stale = versions.Length > 0 && context.Step - versions.Min() > config.MaxStaleness;
        if (stale)
        {
            pending = StartRollout(context, pending.Round, cancellation);
            (completions, generationSeconds) = pending.Generation.GetAwaiter().GetResult();
            versions = completions.Select(c => int.TryParse(c.WeightVersion, out var v) ? v : (int?)null).OfType<int>().ToArray();
        }
        // The trainer's wait: generating here (local) or waiting for the engines, whichever it was.
        double waited = pending.StartSeconds + clock.Elapsed.TotalSeconds;
        var prompts = pending.Prompts;

        clock.Restart();
        var batch = new RolloutBatch(prompts.Select((prompt, p) => new RolloutGroup(prompt, completions.Skip(p * config.NumGenerations).Take(config.NumGenerations).ToArray())).ToArray());
        var metrics = objective.Reward.ScoreAsync(batch, context, cancellation).GetAwaiter().GetResult();
        foreach (var group in batch.Groups)
            for (int i = 0; i < group.Rewards.Length; i++) group.Rewards[i] += OverlongPenalty(group.Completions[i]);
        if (config.RewardCorrectness != RewardCorrectness.Correct)
        {
            metrics = new Dictionary<string, double>(metrics) { ["true_reward"] = batch.Groups.SelectMany(g => g.Rewards).Average() };
            RewardCorrectness.Apply(config.RewardCorrectness, batch, RolloutSeed(context.Step, pending.Round, -1, -1));
        }
        if (versions.Length > 0)
            metrics = new Dictionary<string, double>(metrics)
            {
                ["rollout/weight_version_min"] = versions.Min(),
                ["rollout/staleness_max"] = context.Step - versions.Min(),
                ["rollout/stale_regenerated"] = stale ? 1 : 0,
            };
        double? rolloutKl = config.Beta > 0 && config.KlInReward ? SubtractKlFromRewards(batch) : null;
        return new Round(batch, metrics, waited, generationSeconds, clock.Elapsed.TotalSeconds, rolloutKl);
    }

    /// <summary>A rollout whose completions are being generated: its step, round, prompts, the generation (with its own duration) and the seconds starting it took.</summary>
    private sealed record PendingRollout(int Step, int Round, IReadOnlyList<RolloutPrompt> Prompts, Task<(IReadOnlyList<GenerationResult> Completions, double Seconds)> Generation, double StartSeconds);

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

    /// <summary>KL in the reward: r ← r − β·Σ_t KL_t(π_old ‖ π_ref) over each completion; returns the mean per-token KL.</summary>
    private double SubtractKlFromRewards(RolloutBatch batch)
    {
        var rows = batch.Groups.SelectMany(g => g.Completions.Select((c, i) => (Group: g, Index: i, Prompt: g.Prompt.PromptIds, Completion: c))).ToArray();
        double klSum = 0, tokens = 0;
        foreach (var micro in MicroBatches(rows.Select(r => r.Prompt).ToArray()))
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var rlBatch = RlBatch.Build(micro.Select(i => Row(rows[i].Prompt, rows[i].Completion, 1f, 0f)).ToArray(), Tokenizer.PadId, device);
            var referenceLogProbs = RlBatch.TokenLogProbs(rlBatch.Logits(reference!, config.SharePrefix), rlBatch.Targets, config.Temperature);
            var perToken = where(rlBatch.Mask > 0, kl(rlBatch.OldLogProbs, referenceLogProbs), zeros_like(referenceLogProbs));
            var perSequence = perToken.sum(1).cpu().data<float>().ToArray();
            for (int r = 0; r < micro.Length; r++) rows[micro[r]].Group.Rewards[rows[micro[r]].Index] -= config.Beta * perSequence[r];
            klSum += perSequence.Sum();
            tokens += rlBatch.Mask.sum().item<float>();
        }
        return klSum / Math.Max(1, tokens);
    }

    /// <summary>
    /// The advantage, loss and aggregation stages, then the optimizer step(s). <paramref name="demonstrated"/> groups (HPT)
    /// contribute one row each, their demonstration, with the SFT loss −log π in place of the RL loss.
    /// </summary>
    private UpdateMetrics Update(IReadOnlyList<RolloutGroup> groups, IReadOnlyList<RolloutGroup> demonstrated)
    {
        using var scope = NewDisposeScope();
        var demonstrations = demonstrated.Select(g => (Prompt: g.Prompt.PromptIds, Completion: Demonstration(g.Prompt))).ToArray();
        int rlRows = groups.Sum(g => g.Completions.Count);
        var sequences = groups.SelectMany(g => g.Completions.Select(c => (Prompt: g.Prompt.PromptIds, Completion: c))).Concat(demonstrations).ToArray();
        var rewards = groups.SelectMany(g => g.Rewards).Concat(demonstrations.Select(_ => 0.0)).ToArray();
        CriticTargets? targets = critic is null ? null : PrepareCritic(sequences.Select(s => (s.Prompt, s.Completion)).ToArray(), rewards);
        // A sequence's advantage: the estimator's, or with a critic the mean of its token advantages (for logging and masks).
        var advantages = targets?.Advantages.Select(a => a.Length == 0 ? 0f : a.Average()).ToArray()
            ?? [.. (groups.Count == 0 ? [] : estimator!.Compute(tensor(rewards.Take(rlRows).Select(r => (float)r).ToArray(), [groups.Count, config.NumGenerations])).reshape(-1).cpu().data<float>().ToArray()),
                .. demonstrations.Select(_ => 0f)];
        for (int g = 0; g < groups.Count; g++) groups[g].Advantages = advantages[(g * config.NumGenerations)..((g + 1) * config.NumGenerations)];
        var masks = sequences.Select((s, i) => i < rlRows && (config.MaskTruncatedCompletions && s.Completion.FinishReason == FinishReason.Length || loss.OnlyAdvantaged && advantages[i] == 0) ? 0f : 1f).ToArray();
        // Divisors fixed across micro-batches, so the summed micro-batch losses equal the whole batch's loss.
        double globalTokens = sequences.Select((s, i) => s.Completion.TokenIds.Count * masks[i]).Sum();
        int globalSequences = LossAggregation.CountSequences(
            tensor(sequences.Select((s, i) => s.Completion.TokenIds.Count * masks[i] > 0 ? 1f : 0f).ToArray()).unsqueeze(1), config.LossAggregation);
        bool klInLoss = reference is not null && !config.KlInReward;
        var totals = new UpdateAccumulator();
        double valueLossSum = 0, valueClipped = 0, valueTokens = 0;
        // Rollouts from an engine: π_old is the trainer's own log-probs before the first update (kept for later
        // iterations), and each token is weighted by the truncated ratio π_old / π_engine.
        bool correct = rollouts.Remote && config.ImportanceSamplingCorrection;
        var trainerOld = new List<Tensor>();
        var importance = new ImportanceSampling.Accumulator();
        for (int iteration = 0; iteration < config.NumIterations; iteration++)
        {
            double lossSum = 0;
            int microIndex = 0;
            foreach (var micro in MicroBatches(sequences.Select(s => s.Prompt).ToArray()))
            {
                using var microScope = NewDisposeScope();
                var batch = RlBatch.Build(micro.Select(i => Row(sequences[i].Prompt, sequences[i].Completion, masks[i], advantages[i])).ToArray(), Tokenizer.PadId, device);
                if (targets is not null) batch = batch with { Advantages = batch.TokenValues(micro.Select(i => targets.Advantages[i]).ToArray()) };
                var hidden = batch.Hidden(Policy, config.SharePrefix);
                var logits = Policy.Logits(hidden);
                var logProbs = RlBatch.TokenLogProbs(logits, batch.Targets, config.Temperature);
                var sftRows = micro.Any(i => i >= rlRows) ? tensor(micro.Select(i => i >= rlRows).ToArray(), device: device).unsqueeze(1) : null;
                var old = batch.OldLogProbs;
                Tensor? weights = null;
                if (correct)
                {
                    if (iteration == 0) trainerOld.Add(logProbs.detach().clone().DetachFromDisposeScope());
                    old = trainerOld[microIndex];
                    // Demonstrations (HPT) were not sampled by the engine, so they have no ratio.
                    var sampled = sftRows is null ? batch.Mask : batch.Mask * sftRows.logical_not();
                    weights = ImportanceSampling.Weights(old, batch.OldLogProbs, sampled, config.ImportanceSamplingCap);
                    if (iteration == 0) importance.Add(old, batch.OldLogProbs, sampled, config.ImportanceSamplingCap);
                }
                microIndex++;
                var output = loss.Compute(new PolicyLossInput(logProbs, old, batch.Advantages, batch.Mask));
                var tokenLoss = output.TokenLoss;
                if (weights is not null) tokenLoss = tokenLoss * weights;
                if (sftRows is not null) tokenLoss = where(sftRows, -logProbs, tokenLoss);
                Tensor? tokenKl = null;
                if (reference is not null)
                {
                    Tensor referenceLogProbs;
                    using (no_grad()) referenceLogProbs = RlBatch.TokenLogProbs(batch.Logits(reference, config.SharePrefix), batch.Targets, config.Temperature);
                    // Masked tokens compare the policy with itself, so padding cannot produce a huge KL.
                    tokenKl = kl(logProbs, where(batch.Mask > 0, referenceLogProbs, logProbs));
                    if (klInLoss) tokenLoss = tokenLoss + config.Beta * tokenKl;
                }
                var aggregated = LossAggregation.Aggregate(tokenLoss, batch.Mask, config.LossAggregation, config.MaxCompletionLength,
                    tensor((float)Math.Max(globalTokens, 1)), Math.Max(globalSequences, 1));
                if (targets is not null)
                {
                    var (valueTokenLoss, clipped) = ValueLoss.Compute(critic!.forward(hidden), batch.TokenValues(micro.Select(i => targets.OldValues[i]).ToArray()),
                        batch.TokenValues(micro.Select(i => targets.Returns[i]).ToArray()), config.ValueClipRange);
                    var valueLoss = LossAggregation.Aggregate(valueTokenLoss, batch.Mask, config.LossAggregation, config.MaxCompletionLength,
                        tensor((float)Math.Max(globalTokens, 1)), Math.Max(globalSequences, 1));
                    aggregated = aggregated + config.ValueCoefficient * valueLoss;
                    valueLossSum += valueLoss.item<float>();
                    using (no_grad())
                    {
                        valueClipped += (clipped * batch.Mask).sum().item<float>();
                        valueTokens += batch.Mask.sum().item<float>();
                    }
                }
                aggregated.backward();
                lossSum += aggregated.item<float>();
                using (no_grad())
                {
                    totals.Add(batch.Mask, RlMetrics.TokenEntropy(logits / config.Temperature, batch.Mask),
                        output, tokenKl);
                }
            }
            totals.GradNorm = GradientClipping.ClipOrMeasure(optimizer.Parameters, config.MaxGradNorm);
            totals.AddLoss(lossSum);
            optimizer.StepWith(config.LearningRate);
            optimizer.ZeroGrad();
        }
        foreach (var t in trainerOld) t.Dispose();
        var result = totals.Result();
        var extra = new Dictionary<string, double>(importance.Metrics());
        if (targets is not null)
        {
            foreach (var (key, value) in targets.Metrics) extra[key] = value;
            extra["critic/vf_loss"] = valueLossSum / config.NumIterations;
            extra["critic/vf_clipfrac"] = valueClipped / Math.Max(valueTokens, 1);
        }
        return extra.Count == 0 ? result : result with { Extra = extra };
    }

    /// <summary>
    /// The critic's rollout-time values at every completion token (no gradient), the GAE advantages (whitened over the
    /// batch) and returns they give, and verl's critic metrics of them.
    /// </summary>
    private CriticTargets PrepareCritic(IReadOnlyList<(IReadOnlyList<int> Prompt, GenerationResult Completion)> sequences, IReadOnlyList<double> rewards)
    {
        var values = new float[sequences.Count][];
        using (no_grad())
        {
            foreach (var micro in MicroBatches(sequences.Select(s => s.Prompt).ToArray()))
            {
                using var scope = NewDisposeScope();
                var batch = RlBatch.Build(micro.Select(i => Row(sequences[i].Prompt, sequences[i].Completion, 1f, 0f)).ToArray(), Tokenizer.PadId, device);
                var predicted = critic!.forward(batch.Hidden(Policy, config.SharePrefix)).cpu().data<float>().ToArray();
                int length = (int)batch.Targets.shape[1];
                for (int r = 0; r < micro.Length; r++)
                    values[micro[r]] = predicted.AsSpan(r * length, sequences[micro[r]].Completion.TokenIds.Count).ToArray();
            }
        }
        var estimates = sequences.Select((_, i) => Gae.Compute(values[i], rewards[i], config.Gamma, config.Lambda)).ToArray();
        var raw = estimates.Select(e => e.Advantages).ToArray();
        var returns = estimates.Select(e => e.Returns).ToArray();
        var flatReturns = returns.SelectMany(r => r).Select(r => (double)r).ToArray();
        var flatValues = values.SelectMany(v => v).Select(v => (double)v).ToArray();
        double Variance(IReadOnlyList<double> x) => Math.Pow(StandardDeviation(x), 2);
        double returnVariance = flatReturns.Length > 0 ? Variance(flatReturns) : 0;
        var metrics = new Dictionary<string, double>
        {
            ["critic/values/mean"] = flatValues.DefaultIfEmpty().Average(),
            ["critic/returns/mean"] = flatReturns.DefaultIfEmpty().Average(),
            ["critic/advantages/mean"] = raw.SelectMany(a => a).Select(a => (double)a).DefaultIfEmpty().Average(),
            // 1 − Var(R − V) / Var(R): how much of the returns' spread the values explain (1 perfect, ≤ 0 none).
            ["critic/vf_explained_var"] = returnVariance > 0 ? 1 - Variance(flatReturns.Zip(flatValues, (r, v) => r - v).ToArray()) / returnVariance : 0,
        };
        return new CriticTargets(Gae.Whiten(raw), returns, values, metrics);
    }

    /// <summary>Per-sequence token arrays of one update: advantages (whitened), returns and the rollout-time values.</summary>
    private sealed record CriticTargets(float[][] Advantages, float[][] Returns, float[][] OldValues, IReadOnlyDictionary<string, double> Metrics);

    /// <summary>
    /// Row indexes in micro-batches of at most micro_batch_size. Sharing the prefix, a micro-batch holds rows of one prompt
    /// (rows of a prompt are consecutive); otherwise consecutive rows whatever their prompt.
    /// </summary>
    private IEnumerable<int[]> MicroBatches(IReadOnlyList<IReadOnlyList<int>> prompts)
    {
        if (!config.SharePrefix) return Enumerable.Range(0, prompts.Count).Chunk(config.MicroBatchSize);
        var runs = new List<List<int>>();
        for (int i = 0; i < prompts.Count; i++)
        {
            if (i == 0 || !ReferenceEquals(prompts[i], prompts[i - 1])) runs.Add([]);
            runs[^1].Add(i);
        }
        return runs.SelectMany(run => run.Chunk(config.MicroBatchSize));
    }

    private static (IReadOnlyList<int>, IReadOnlyList<int>, IReadOnlyList<float>, float, float) Row(IReadOnlyList<int> prompt, GenerationResult completion, float mask, float advantage) =>
        (prompt, completion.TokenIds, completion.LogProbs, mask, advantage);

    private Dictionary<string, object> StepRecord(IReadOnlyList<RolloutGroup> groups, UpdateMetrics update, IReadOnlyList<Round> rounds, int trainedGroups, double training, double total)
    {
        var all = groups.SelectMany(g => g.Rewards).ToArray();
        var lengths = groups.SelectMany(g => g.Completions.Select(c => (double)c.TokenIds.Count)).ToArray();
        var terminated = groups.SelectMany(g => g.Completions).Where(c => c.FinishReason == FinishReason.Stop).Select(c => (double)c.TokenIds.Count).ToArray();
        double generation = rounds.Sum(r => r.WaitSeconds);
        var record = new Dictionary<string, object>
        {
            ["loss"] = update.Loss,
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
            ["num_tokens"] = tokensSeen,
            ["filter/kept_groups"] = trainedGroups,
            ["time/generation"] = generation,
            ["time/reward"] = rounds.Sum(r => r.RewardSeconds),
            ["time/training"] = training,
            ["step_time"] = total,
            ["rollout_tokens_per_second"] = lengths.Sum() / Math.Max(rounds[0].GenerationSeconds, 1e-9),
        };
        foreach (var (key, value) in rollouts.TakeMetrics()) record[key] = value;
        if (config.Beta > 0) record["kl"] = config.KlInReward ? rounds[0].RolloutKl!.Value : update.Kl;
        foreach (var (key, value) in update.Extra ?? new Dictionary<string, double>()) record[key] = value;
        // Over the groups that have the term: a derived group (another role's) may be scored by other functions.
        foreach (var name in groups.SelectMany(g => g.RewardTerms.Keys).Distinct())
            record[$"rewards/{name}/mean"] = groups.Where(g => g.RewardTerms.ContainsKey(name)).SelectMany(g => g.RewardTerms[name]).Average();
        foreach (var key in rounds[0].Metrics.Keys)
            record[key] = rounds.Average(r => r.Metrics[key]);
        return record;
    }

    private static void LogCompletions(string runDirectory, int step, IReadOnlyList<RolloutGroup> groups)
    {
        var lines = groups.Take(2).SelectMany(g => g.Completions.Take(2).Select((c, i) =>
        {
            var line = new JsonObject { ["step"] = step };
            foreach (var (key, value) in g.Prompt.Log) line[key] = value;
            line["completion"] = c.Text;
            line["reward"] = g.Rewards[i];
            // Which weights sampled it, when an engine generated it (async rollouts may be a step old).
            if (c.WeightVersion is not null) line["weight_version"] = c.WeightVersion;
            // TRL's completions table: each reward function's score and the advantage (absent for a filtered-out group).
            line["rewards"] = new JsonObject(g.RewardTerms.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value[i])));
            if (g.Advantages is not null) line["advantage"] = g.Advantages[i];
            return line.ToJsonString();
        }));
        File.AppendAllLines(Path.Combine(runDirectory, Telemetry.MetricsWriter.CompletionsFileName), lines);
    }

    private static double StandardDeviation(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }

    public void Dispose()
    {
        // A prefetched rollout still running is abandoned: its requests are cancelled and awaited before the engine goes.
        stopping.Cancel();
        try { prefetched?.Generation.Wait(); } catch (AggregateException) { }
        rollouts.Dispose();
        stopping.Dispose();
        optimizer.Dispose();
        reference?.Dispose();
        critic?.Dispose();
    }

    /// <summary>One rollout round: its scored groups, the objective's metrics, the trainer's wait for generation, generation's own duration, and the reward's.</summary>
    private sealed record Round(RolloutBatch Batch, IReadOnlyDictionary<string, double> Metrics, double WaitSeconds, double GenerationSeconds, double RewardSeconds, double? RolloutKl);

    private sealed record Progress
    {
        [JsonPropertyName("constant_reward_steps")] public int ConstantRewardSteps { get; init; }
        [JsonPropertyName("tokens_seen")] public long TokensSeen { get; init; }
        [JsonPropertyName("objective")] public string Objective { get; init; } = "";
        [JsonPropertyName("objective_state")] public JsonObject ObjectiveState { get; init; } = [];
    }
}
