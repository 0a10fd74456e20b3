using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Data.Store;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Training.Rl;
using Rlpt.Training.Rl.Rollouts;
using Rlpt.Training.Runs;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class TrainSettings : ObjectiveSettings
{
    [CommandOption("--num-generations <G>")] [Description("Completions per prompt. Default: 8.")] public int? NumGenerations { get; init; }
    [CommandOption("--prompts-per-step <N>")] [Description("Default: 8.")] public int? PromptsPerStep { get; init; }
    [CommandOption("--max-completion-length <N>")] [Description("Default: 128.")] public int? MaxCompletionLength { get; init; }
    [CommandOption("--temperature <T>")] [Description("Rollout temperature. Default: 1.0.")] public double? Temperature { get; init; }
    [CommandOption("--learning-rate <LR>")] [Description("Constant learning rate. Default: 1e-5.")] public double? LearningRate { get; init; }
    [CommandOption("--max-steps <N>")] [Description("Default: 100.")] public int? MaxSteps { get; init; }
    [CommandOption("--epsilon <E>")] [Description("Lower clip ε. Default: 0.2.")] public double? Epsilon { get; init; }
    [CommandOption("--epsilon-high <E>")] [Description("Upper clip ε (clip-higher). Default: 0.28.")] public double? EpsilonHigh { get; init; }
    [CommandOption("--loss-aggregation <MODE>")] [Description("token-mean, seq-mean-token-mean, seq-mean-token-sum-norm. Default: token-mean.")] public string? LossAggregation { get; init; }
    [CommandOption("--advantage-estimator <NAME>")] [Description("grpo, dr_grpo, rloo, best_of_g (1 for each group's best answer), gae (PPO: token-level GAE from a value head). Default: grpo.")] public string? AdvantageEstimator { get; init; }
    [CommandOption("--hpt-gamma <G>")] [Description("HPT: prompts whose rollout accuracy is at most G are trained on their demonstration with SFT instead (rlpt, rlvr, pretrainzero's predictor). Default: off.")] public double? HptGamma { get; init; }
    [CommandOption("--hpt-correct-reward <R>")] [Description("HPT: reward at or above which a rollout counts as correct. Default: 1.")] public double? HptCorrectReward { get; init; }
    [CommandOption("--gamma <G>")] [Description("gae: discount over completion tokens. Default: 1.0.")] public double? Gamma { get; init; }
    [CommandOption("--lam <L>")] [Description("gae: λ. Default: 0.95.")] public double? Lam { get; init; }
    [CommandOption("--vf-coef <C>")] [Description("gae: weight of the value loss. Default: 0.1.")] public double? VfCoef { get; init; }
    [CommandOption("--cliprange-value <E>")] [Description("gae: clip range of the value loss. Default: 0.2.")] public double? CliprangeValue { get; init; }
    [CommandOption("--policy-loss <NAME>")] [Description("ppo_clip (the clipped surrogate) or sft (behaviour cloning of the answers with a non-zero advantage; with best_of_g: Expert Iteration). Default: ppo_clip.")] public string? PolicyLoss { get; init; }
    [CommandOption("--beta <B>")] [Description("KL coefficient to the starting policy; 0 keeps no reference. Default: 0.")] public double? Beta { get; init; }
    [CommandOption("--kl-estimator <K>")] [Description("k1, k2 or k3. Default: k3.")] public string? KlEstimator { get; init; }
    [CommandOption("--kl-in-reward")] [Description("Subtract β·KL from the reward instead of adding it to the loss.")] public bool? KlInReward { get; init; }
    [CommandOption("--num-iterations <N>")] [Description("Optimisation epochs per rollout batch. Default: 1.")] public int? NumIterations { get; init; }
    [CommandOption("--share-prefix <BOOL>")] [Description("Forward each prompt once for its G completions, in rollouts and updates (same results, faster). Default: true.")] public bool? SharePrefix { get; init; }
    [CommandOption("--reward-correctness <MODE>")] [Description("correct, random (rewards shuffled across the step's completions) or inverted (−r): the reward-correctness study. Default: correct.")] public string? RewardCorrectness { get; init; }
    [CommandOption("--dynamic-sampling")] [Description("Drop zero-variance groups and refill (DAPO).")] public bool? DynamicSampling { get; init; }
    [CommandOption("--mask-truncated-completions")] [Description("No loss on completions cut by the length limit.")] public bool? MaskTruncatedCompletions { get; init; }
    [CommandOption("--overlong-buffer <N>")] [Description("Soft overlong penalty over the last N tokens. Default: 0.")] public int? OverlongBuffer { get; init; }
    [CommandOption("--micro-batch-size <N>")] [Description("Sequences per forward/backward. Default: 16.")] public int? MicroBatchSize { get; init; }
    [CommandOption("--save-every <N>")] [Description("Default: 50.")] public int? SaveEvery { get; init; }
    [CommandOption("--rollout-engine <NAME>")] [Description("local (sample from the policy here) or openai (on the engines at --rollout-url: rlpt serve, vLLM, SGLang). Default: local.")] public string? RolloutEngine { get; init; }
    [CommandOption("--rollout-url <URL>")] [Description("openai: an engine's base URL, e.g. http://10.0.0.5:8000/v1; repeat for replicas. Requests spread by load; a failing replica is retried elsewhere. Key: $RLPT_API_KEY.")] public string[]? RolloutUrl { get; init; }
    [CommandOption("--rollout-model <NAME>")] [Description("openai: the served model's name. Default: what GET /v1/models lists.")] public string? RolloutModel { get; init; }
    [CommandOption("--rollout-timeout <SECONDS>")] [Description("openai: how long one completion may take on one replica before it is sent to another. Default: 120.")] public double? RolloutTimeout { get; init; }
    [CommandOption("--rollout-retries <N>")] [Description("openai: further attempts of a failed request. Default: 3.")] public int? RolloutRetries { get; init; }
    [CommandOption("--weight-sync-steps <N>")] [Description("openai: send the engines the policy's weights every N steps (saved as a Hugging Face folder, loaded by POST /update_weights_from_disk). Default: 1.")] public int? WeightSyncSteps { get; init; }
    [CommandOption("--weight-sync-dir <DIR>")] [Description("openai: where the weights are saved; the engines' --weights-root must hold it (a shared disk across machines). Default: OUT/rollout-weights.")] public string? WeightSyncDir { get; init; }
    [CommandOption("--async-rollouts")] [Description("openai: generate the next step's rollouts while this step trains (one step ahead; not bit-reproducible).")] public bool? AsyncRollouts { get; init; }
    [CommandOption("--max-staleness <N>")] [Description("Rollouts from weights more than N steps old are generated again. Default: 1.")] public int? MaxStaleness { get; init; }
    [CommandOption("--importance-sampling-correction <BOOL>")] [Description("openai: recompute π_old here and weight tokens by min(π_old / π_engine, cap), as TRL's vLLM correction. Default: true.")] public bool? ImportanceSamplingCorrection { get; init; }
    [CommandOption("--importance-sampling-cap <C>")] [Description("The truncation of those weights. Default: 3.")] public double? ImportanceSamplingCap { get; init; }
}

/// <summary>rlpt train: GRPO on an RL objective from the registry (RLPT by default).</summary>
public sealed class TrainCommand : AsyncCommand<TrainSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new ArgumentException("--model is required.");
        await using var choice = new ObjectiveChoice(settings);
        var grpo = ConfigBinder.Bind<GrpoConfig>(settings);
        grpo.Validate();
        var run = new RunDirectory(settings.Out ?? "runs/train", settings.Quiet);
        TrainingRun.CheckRunDirectory(run.Path, settings.Resume);
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        choice.LoadJudge(device);
        var (policy, tokenizer) = ModelFolder.Load(settings.Model, device);
        using var _ = policy;
        using var data = settings.Data is null ? null : TokenDataset.Open(settings.Data);
        using var objective = choice.Create(data, policy, tokenizer, device, run.Log);
        using var algorithm = new GrpoAlgorithm(grpo, policy, tokenizer, objective, device, RolloutEngines.Create(grpo, policy, tokenizer, run.Path));
        run.WriteConfig(new { command = "train", objective = choice.Definition.Name, model = settings.Model, data = settings.Data, rewards = choice.Weights, judge = choice.Judge?.Description, grpo, objective_options = choice.Options });

        var result = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar(choice.Definition.Name, grpo.MaxSteps);
            return new TrainingRun(run.Path) { Log = run.Log, ReportTo = settings.ReportTo, OnStep = s => bar.Update(s.Step, RlProgress.Describe(s)) }
                .Run(algorithm, settings.Resume, Interrupt.Token);
        }, run.Log);
        if (result.Interrupted)
        {
            run.Log($"interrupted at step {result.Steps}: checkpoint saved; continue with --resume.");
            return Interrupt.ExitCode;
        }
        Console.WriteLine($"done: {result.Steps} steps; model in {result.ModelDirectory}");
        return 0;
    }
}
