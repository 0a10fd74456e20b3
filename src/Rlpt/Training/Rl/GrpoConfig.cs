using System.Text.Json.Serialization;

namespace Rlpt.Training.Rl;

/// <summary>
/// GRPO and its variants as documented options. Defaults follow TRL's GRPOConfig where it has one (G = 8, β = 0,
/// temperature 1) and DAPO's clip-higher (ε_low 0.2, ε_high 0.28) with token-mean aggregation.
/// </summary>
public sealed record GrpoConfig
{
    /// <summary>Completions sampled per prompt (G).</summary>
    [JsonPropertyName("num_generations")] public int NumGenerations { get; init; } = 8;
    /// <summary>Prompts per optimizer batch.</summary>
    [JsonPropertyName("prompts_per_step")] public int PromptsPerStep { get; init; } = 8;
    [JsonPropertyName("max_completion_length")] public int MaxCompletionLength { get; init; } = 128;
    [JsonPropertyName("temperature")] public double Temperature { get; init; } = 1.0;
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 1e-5;
    [JsonPropertyName("max_steps")] public int MaxSteps { get; init; } = 100;
    /// <summary>Lower clip bound ε_low: ratios below 1 − ε_low are clipped.</summary>
    [JsonPropertyName("epsilon")] public double Epsilon { get; init; } = 0.2;
    /// <summary>Upper clip bound ε_high (clip-higher, DAPO); null means ε_high = ε_low.</summary>
    [JsonPropertyName("epsilon_high")] public double? EpsilonHigh { get; init; } = 0.28;
    /// <summary>token-mean | seq-mean-token-mean | seq-mean-token-sum-norm.</summary>
    [JsonPropertyName("loss_aggregation")] public string LossAggregation { get; init; } = "token-mean";
    /// <summary>
    /// Advantage estimator: grpo (group z-score), dr_grpo (no std), rloo, best_of_g (1 for each group's best: Expert
    /// Iteration with policy_loss sft), or gae (PPO: token-level GAE(γ, λ) from a value head trained alongside, whitened
    /// over the batch; see gamma, lam, vf_coef, cliprange_value).
    /// </summary>
    [JsonPropertyName("advantage_estimator")] public string AdvantageEstimator { get; init; } = "grpo";
    /// <summary>Policy loss: ppo_clip (GRPO's clipped surrogate) or sft (−A·log π on the completions with A ≠ 0: behaviour cloning).</summary>
    [JsonPropertyName("policy_loss")] public string PolicyLoss { get; init; } = "ppo_clip";
    /// <summary>KL coefficient β to the reference model (the starting policy); 0 keeps no reference model in memory.</summary>
    [JsonPropertyName("beta")] public double Beta { get; init; }
    /// <summary>Per-token KL estimator: k1 (log-ratio), k2 (½ log-ratio²) or k3 (GRPO's e^−d + d − 1).</summary>
    [JsonPropertyName("kl_estimator")] public string KlEstimator { get; init; } = "k3";
    /// <summary>
    /// Where β·KL goes: false adds it to the loss (GRPO); true subtracts β·Σ_t KL_t from each completion's reward before
    /// the advantages (verl's use_kl_in_reward, PPO-RLHF style), with KL measured at the rollout.
    /// </summary>
    [JsonPropertyName("kl_in_reward")] public bool KlInReward { get; init; }
    /// <summary>
    /// correct (default), random (the step's rewards shuffled across its completions) or inverted (−r): the
    /// reward-correctness study of arXiv 2507.10532, for any objective (<see cref="RewardCorrectness"/>).
    /// </summary>
    [JsonPropertyName("reward_correctness")] public string RewardCorrectness { get; init; } = Rl.RewardCorrectness.Correct;
    /// <summary>gae: discount γ over completion tokens (TRL's PPO default 1).</summary>
    [JsonPropertyName("gamma")] public double Gamma { get; init; } = 1.0;
    /// <summary>gae: λ of GAE (TRL's PPO default 0.95).</summary>
    [JsonPropertyName("lam")] public double Lambda { get; init; } = 0.95;
    /// <summary>gae: weight of the value loss next to the policy loss (TRL's PPO default 0.1).</summary>
    [JsonPropertyName("vf_coef")] public double ValueCoefficient { get; init; } = 0.1;
    /// <summary>gae: how far one update may move a value from its rollout-time estimate (TRL's PPO default 0.2).</summary>
    [JsonPropertyName("cliprange_value")] public double ValueClipRange { get; init; } = 0.2;
    /// <summary>
    /// HPT (arXiv 2509.04419): a prompt whose rollouts' accuracy P (the share with reward ≥ hpt_correct_reward) is at most
    /// γ is trained on its demonstration with the SFT loss instead of its rollouts with the RL loss, in the same step.
    /// null (default) disables it; the paper uses 0 for Qwen and 2/8 for Llama. Needs an objective with demonstrations.
    /// </summary>
    [JsonPropertyName("hpt_gamma")] public double? HptGamma { get; init; }
    /// <summary>HPT: the reward at or above which a rollout counts as correct. Default 1.</summary>
    [JsonPropertyName("hpt_correct_reward")] public double HptCorrectReward { get; init; } = 1.0;
    /// <summary>Optimisation epochs (μ) per rollout batch; ratios are taken against the stored rollout log-probs.</summary>
    [JsonPropertyName("num_iterations")] public int NumIterations { get; init; } = 1;
    /// <summary>Drop groups whose rewards are all equal and refill the batch (DAPO dynamic sampling).</summary>
    [JsonPropertyName("dynamic_sampling")] public bool DynamicSampling { get; init; }
    /// <summary>Completions cut by max_completion_length get no loss (DAPO overlong filtering).</summary>
    [JsonPropertyName("mask_truncated_completions")] public bool MaskTruncatedCompletions { get; init; }
    /// <summary>Soft overlong penalty window (DAPO): the last N tokens before the limit cost up to 1 reward; 0 disables.</summary>
    [JsonPropertyName("overlong_buffer")] public int OverlongBuffer { get; init; }
    [JsonPropertyName("max_grad_norm")] public double MaxGradNorm { get; init; } = 1.0;
    /// <summary>Sequences per forward/backward pass; gradients of a step accumulate over micro-batches.</summary>
    [JsonPropertyName("micro_batch_size")] public int MicroBatchSize { get; init; } = 16;
    /// <summary>
    /// Forward each prompt once for its G completions, in rollouts (one prefill, its KV cache copied to the G rows) and
    /// in updates (the completions attend to the prompt's keys and values kept in the graph; Prefix Grouper, arXiv
    /// 2506.05433). Same tokens, losses and gradients as forwarding every sequence whole (tested), at a fraction of the
    /// cost. A micro-batch then never mixes prompts. Default true; false keeps the unshared path, for comparison.
    /// </summary>
    [JsonPropertyName("share_prefix")] public bool SharePrefix { get; init; } = true;
    /// <summary>
    /// Where rollouts are generated: local (on the policy, in this process) or openai (on OpenAI-compatible engines at
    /// rollout_url — rlpt serve, vLLM, SGLang — sent the policy's weights every weight_sync_steps steps).
    /// </summary>
    [JsonPropertyName("rollout_engine")] public string RolloutEngine { get; init; } = Rollouts.RolloutEngines.Local;
    /// <summary>openai: the engines' base URLs; requests spread over them by load.</summary>
    [JsonPropertyName("rollout_url")] public IReadOnlyList<string> RolloutUrls { get; init; } = [];
    /// <summary>openai: the served model's name; null asks the engine (GET /v1/models).</summary>
    [JsonPropertyName("rollout_model")] public string? RolloutModel { get; init; }
    /// <summary>openai: seconds one completion may take on one replica before it is sent to another.</summary>
    [JsonPropertyName("rollout_timeout")] public double RolloutTimeout { get; init; } = 120;
    /// <summary>openai: further attempts of a failed request, on other replicas where there are any.</summary>
    [JsonPropertyName("rollout_retries")] public int RolloutRetries { get; init; } = 3;
    /// <summary>openai: send the engines the policy's weights every N optimizer steps (TRL's weight_sync_steps).</summary>
    [JsonPropertyName("weight_sync_steps")] public int WeightSyncSteps { get; init; } = 1;
    /// <summary>openai: where the weights are saved for the engines to load (under their --weights-root); null: the run's rollout-weights/.</summary>
    [JsonPropertyName("weight_sync_dir")] public string? WeightSyncDir { get; init; }
    /// <summary>
    /// openai: generate step k+1's rollouts while step k trains (one step ahead, as verl's one-step-off and TRL's
    /// AsyncGRPO); the rollouts are then up to a step old. Not bit-reproducible: what the engine has loaded when a
    /// request runs decides its weights (each is recorded).
    /// </summary>
    [JsonPropertyName("async_rollouts")] public bool AsyncRollouts { get; init; }
    /// <summary>Rollouts generated with weights more than this many optimizer steps old are dropped and generated again.</summary>
    [JsonPropertyName("max_staleness")] public int MaxStaleness { get; init; } = 1;
    /// <summary>
    /// openai: recompute π_old with the trainer's policy and weight each token's loss by min(π_old / π_engine, cap)
    /// (TRL's vLLM importance-sampling correction), logging the mismatch as sampling/*.
    /// </summary>
    [JsonPropertyName("importance_sampling_correction")] public bool ImportanceSamplingCorrection { get; init; } = true;
    /// <summary>The truncation of the importance weights (TRL's default 3).</summary>
    [JsonPropertyName("importance_sampling_cap")] public double ImportanceSamplingCap { get; init; } = 3.0;
    /// <summary>Append a few sampled completions to completions.jsonl every N steps; 0 disables.</summary>
    [JsonPropertyName("log_completions_every")] public int LogCompletionsEvery { get; init; } = 10;
    /// <summary>Warn loudly after this many consecutive steps in which every group had identical rewards.</summary>
    [JsonPropertyName("constant_reward_warning_steps")] public int ConstantRewardWarningSteps { get; init; } = 10;
    [JsonPropertyName("save_every")] public int SaveEvery { get; init; } = 50;
    [JsonPropertyName("save_total_limit")] public int SaveTotalLimit { get; init; } = 2;
    [JsonPropertyName("seed")] public int Seed { get; init; } = 1234;

    [JsonIgnore] public double ResolvedEpsilonHigh => EpsilonHigh ?? Epsilon;
    /// <summary>PPO: the gae estimator needs a value head.</summary>
    [JsonIgnore] public bool UsesCritic => AdvantageEstimator == AdvantageEstimators.Gae;
    [JsonIgnore] public Runs.SavePolicy Saving => new(SaveEvery, SaveTotalLimit);

    public void Validate()
    {
        void Require(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        Require(NumGenerations >= 2, $"num_generations must be at least 2: advantages are relative to the group (got {NumGenerations}).");
        Require(PromptsPerStep >= 1 && MaxSteps >= 1 && MicroBatchSize >= 1 && NumIterations >= 1, "prompts_per_step, max_steps, micro_batch_size and num_iterations must be at least 1.");
        Require(MaxCompletionLength >= 1, $"max_completion_length must be at least 1 (got {MaxCompletionLength}).");
        Require(Temperature > 0, $"temperature must be positive for RL sampling (got {Temperature}).");
        Require(LearningRate > 0, $"learning_rate must be positive (got {LearningRate}).");
        Require(Epsilon > 0 && ResolvedEpsilonHigh > 0, "epsilon and epsilon_high must be positive.");
        Require(Beta >= 0, $"beta must be >= 0 (got {Beta}).");
        Require(OverlongBuffer >= 0 && OverlongBuffer < MaxCompletionLength, "overlong_buffer must be in [0, max_completion_length).");
        Require(MaxGradNorm >= 0, $"max_grad_norm must be >= 0 (got {MaxGradNorm}); 0 disables clipping.");
        Require(HptGamma is null || HptGamma >= 0 && HptGamma <= 1, $"hpt_gamma must be in [0, 1] (got {HptGamma}).");
        // A demonstration has no reward of its own, so the critic would learn a made-up return for it.
        Require(HptGamma is null || !UsesCritic, "hpt_gamma cannot be combined with the gae estimator: demonstrations have no return for the critic.");
        Saving.Validate();
        Require(Rollouts.RolloutEngines.Names.Contains(RolloutEngine), $"unknown rollout_engine '{RolloutEngine}'; valid: {string.Join(", ", Rollouts.RolloutEngines.Names)}.");
        bool remote = RolloutEngine != Rollouts.RolloutEngines.Local;
        Require(!remote || RolloutUrls.Count > 0, "rollout_engine openai needs at least one --rollout-url.");
        Require(remote || RolloutUrls.Count == 0, "--rollout-url is for rollout_engine openai.");
        foreach (var url in RolloutUrls)
            Require(Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps), $"rollout_url '{url}' is not an http(s) URL.");
        Require(!AsyncRollouts || remote, "async_rollouts needs a remote rollout engine: the local one samples from the policy being trained.");
        Require(RolloutTimeout > 0 && RolloutRetries >= 0 && WeightSyncSteps >= 1 && MaxStaleness >= 0, "rollout_timeout must be positive, rollout_retries and max_staleness >= 0, weight_sync_steps >= 1.");
        // The schedule itself must never produce rollouts older than max_staleness, or every such step would be redone.
        Require(WeightSyncSteps - 1 + (AsyncRollouts ? 1 : 0) <= MaxStaleness,
            $"weight_sync_steps {WeightSyncSteps}{(AsyncRollouts ? " with async_rollouts" : "")} makes rollouts up to {WeightSyncSteps - 1 + (AsyncRollouts ? 1 : 0)} steps old, more than max_staleness {MaxStaleness}.");
        Require(ImportanceSamplingCap >= 1, $"importance_sampling_cap must be >= 1 (got {ImportanceSamplingCap}).");
        // Every stage is chosen by name: unknown names fail here, before the first rollout.
        if (UsesCritic)
        {
            Require(Gamma >= 0 && Gamma <= 1 && Lambda >= 0 && Lambda <= 1, $"gamma and lam must be in [0, 1] (got {Gamma} and {Lambda}).");
            Require(ValueCoefficient > 0 && ValueClipRange > 0, "vf_coef and cliprange_value must be positive.");
        }
        else AdvantageEstimators.Get(AdvantageEstimator);
        PolicyLosses.Create(PolicyLoss, this);
        KlEstimators.Get(KlEstimator);
        Require(Rl.RewardCorrectness.Modes.Contains(RewardCorrectness), $"reward_correctness must be one of {string.Join(", ", Rl.RewardCorrectness.Modes)} (got '{RewardCorrectness}').");
        if (!Rl.LossAggregation.Modes.Contains(LossAggregation))
            throw new ArgumentException($"unknown loss_aggregation '{LossAggregation}'; valid: {string.Join(", ", Rl.LossAggregation.Modes)}.");
    }
}
