using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Data.Store;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Objectives;
using Rlpt.Rewards;
using Rlpt.Serving;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class TrainSettings : TrainingSettings
{
    [CommandOption("--objective <NAME>")] [Description("RL objective: rlpt (next-segment reasoning), rlp (information-gain thoughts), empo (semantic-entropy minimisation, no labels), rlvr (verifiable arithmetic), pretrainzero (mask generation and prediction on raw passages). Default: rlpt.")] [DefaultValue("rlpt")] public string Objective { get; init; } = "rlpt";
    [CommandOption("--model <DIR>")] [Description("Policy to start from: the cold-start SFT model folder (rlp: a pretrained model works too).")] public string? Model { get; init; }
    [CommandOption("--data <DIR>")] [Description("Dataset folder whose training split provides the objective's prompts (rlpt, rlp, empo, pretrainzero; rlvr generates its own).")] public string? Data { get; init; }
    [CommandOption("--reward <NAME=W>")] [Description("rlpt: reward and weight (repeatable): prefix, prefix_dense, embedding, embedding_dense, numeric, judge. Default: prefix=1.")] public string[] Reward { get; init; } = [];
    [CommandOption("--judge-url <URL>")] [Description("OpenAI-compatible base URL of the judge, e.g. http://127.0.0.1:8000/v1.")] public string? JudgeUrl { get; init; }
    [CommandOption("--judge-model <NAME>")] [Description("Model name the judge server serves.")] public string? JudgeModel { get; init; }
    [CommandOption("--judge-local <DIR>")] [Description("Judge with a model folder run in this process through an IChatClient (no server).")] public string? JudgeLocal { get; init; }
    [CommandOption("--judge-on-failure <POLICY>")] [Description("score-zero (count and go on) or fail. Default: score-zero.")] [DefaultValue("score-zero")] public string JudgeOnFailure { get; init; } = "score-zero";

    [CommandOption("--num-generations <G>")] [Description("Completions per prompt. Default: 8.")] public int? NumGenerations { get; init; }
    [CommandOption("--prompts-per-step <N>")] [Description("Default: 8.")] public int? PromptsPerStep { get; init; }
    [CommandOption("--max-completion-length <N>")] [Description("Default: 128.")] public int? MaxCompletionLength { get; init; }
    [CommandOption("--temperature <T>")] [Description("Rollout temperature. Default: 1.0.")] public double? Temperature { get; init; }
    [CommandOption("--learning-rate <LR>")] [Description("Constant learning rate. Default: 1e-5.")] public double? LearningRate { get; init; }
    [CommandOption("--max-steps <N>")] [Description("Default: 100.")] public int? MaxSteps { get; init; }
    [CommandOption("--epsilon <E>")] [Description("Lower clip ε. Default: 0.2.")] public double? Epsilon { get; init; }
    [CommandOption("--epsilon-high <E>")] [Description("Upper clip ε (clip-higher). Default: 0.28.")] public double? EpsilonHigh { get; init; }
    [CommandOption("--loss-aggregation <MODE>")] [Description("token-mean, seq-mean-token-mean, seq-mean-token-sum-norm. Default: token-mean.")] public string? LossAggregation { get; init; }
    [CommandOption("--advantage-estimator <NAME>")] [Description("grpo, dr_grpo, rloo. Default: grpo.")] public string? AdvantageEstimator { get; init; }
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
    [CommandOption("--seed <N>")] [Description("Default: 1234.")] public int? Seed { get; init; }
    [CommandOption("--msr-fraction <F>")] [Description("Share of MSR tasks (λ-mix). Default: 0.5.")] public double? MsrFraction { get; init; }
    [CommandOption("--context-tokens <N>")] [Description("Context budget; earlier segments are dropped whole. Default: 384.")] public int? ContextTokens { get; init; }
    [CommandOption("--max-target-tokens <N>")] [Description("Longest segment used as a prediction target. Default: 64.")] public int? MaxTargetTokens { get; init; }
    [CommandOption("--source <NAME>")] [Description("rlpt, empo: draw tasks only from documents of this source (e.g. arithmetic). Default: every source by weight.")] public string? Source { get; init; }
    [CommandOption("--reference-segments <K>")] [Description("Segments in the prefix reward's reference. Default: 3.")] public int? ReferenceSegments { get; init; }
    [CommandOption("--rlp-context-tokens <N>")] [Description("rlp: document tokens shown before the thought. Default: 128.")] public int? RlpContextTokens { get; init; }
    [CommandOption("--rlp-min-context-tokens <N>")] [Description("rlp: fewest document tokens before a scored position. Default: 16.")] public int? RlpMinContextTokens { get; init; }
    [CommandOption("--rlp-scored-tokens <K>")] [Description("rlp: next tokens scored after the thought (the paper: 1). Default: 1.")] public int? RlpScoredTokens { get; init; }
    [CommandOption("--rlp-ema-decay <TAU>")] [Description("rlp: EMA decay of the no-thought teacher. Default: 0.999.")] public double? RlpEmaDecay { get; init; }
    [CommandOption("--rlp-seed <N>")] [Description("rlp: seed of the positions drawn. Default: 1234.")] public int? RlpSeed { get; init; }
    [CommandOption("--rlvr-min-level <N>")] [Description("rlvr: fewest operations per problem. Default: 1.")] public int? RlvrMinLevel { get; init; }
    [CommandOption("--rlvr-max-level <N>")] [Description("rlvr: most operations per problem (levels in turn). Default: 2.")] public int? RlvrMaxLevel { get; init; }
    [CommandOption("--rlvr-reward <MODE>")] [Description("rlvr: continuous (arXiv 2507.10532) or binary. Default: continuous.")] public string? RlvrReward { get; init; }
    [CommandOption("--rlvr-seed <N>")] [Description("rlvr: seed of the problems drawn. Default: 1234.")] public int? RlvrSeed { get; init; }
    [CommandOption("--pz-masks <SOURCE>")] [Description("pretrainzero: generator (the policy proposes the masks, both roles trained), random (random spans, predictor only) or next_word (the baselines). Default: generator.")] public string? PzMasks { get; init; }
    [CommandOption("--pz-max-span-tokens <N>")] [Description("pretrainzero: longest valid mask in tokens. Default: 16.")] public int? PzMaxSpanTokens { get; init; }
    [CommandOption("--pz-max-span-words <N>")] [Description("pretrainzero: longest random mask in words. Default: 4.")] public int? PzMaxSpanWords { get; init; }
    [CommandOption("--pz-max-occurrences <N>")] [Description("pretrainzero: spans occurring this often in the passage are rejected. Default: 8.")] public int? PzMaxOccurrences { get; init; }
    [CommandOption("--pz-answer-tokens <N>")] [Description("pretrainzero: most new tokens of a predictor answer. Default: 24.")] public int? PzAnswerTokens { get; init; }
    [CommandOption("--pz-open-think")] [Description("pretrainzero: open a reasoning block in both roles' prompts.")] public bool? PzOpenThink { get; init; }
    [CommandOption("--pz-seed <N>")] [Description("pretrainzero: seed of random masks and predictor rollouts. Default: 1234.")] public int? PzSeed { get; init; }
    [CommandOption("--empo-cluster-by <MODE>")] [Description("empo: auto (numbers by value, else normalised text), text or embedding. Default: auto.")] public string? EmpoClusterBy { get; init; }
    [CommandOption("--empo-similarity <COS>")] [Description("empo: cosine threshold of embedding clustering. Default: 0.85.")] public double? EmpoSimilarity { get; init; }
    [CommandOption("--empo-min-entropy <H>")] [Description("empo: lower end of the entropy band (H / ln G). Default: 0.")] public double? EmpoMinEntropy { get; init; }
    [CommandOption("--empo-max-entropy <H>")] [Description("empo: upper end of the entropy band (H / ln G). Default: 0.9.")] public double? EmpoMaxEntropy { get; init; }
}

/// <summary>rlpt train: GRPO on an RL objective from the registry (RLPT by default).</summary>
public sealed class TrainCommand : AsyncCommand<TrainSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new ArgumentException("--model is required.");
        var definition = ObjectiveRegistry.Get(settings.Objective);
        var grpo = ConfigBinder.Bind<GrpoConfig>(settings);
        grpo.Validate();
        var objectiveOptions = ConfigBinder.Bind(definition.OptionsType, settings);
        var weights = settings.Reward.Length > 0 ? WeightOptions.Parse(settings.Reward, "--reward") : null;
        if (settings.JudgeUrl is not null && settings.JudgeLocal is not null) throw new ArgumentException("give either --judge-url or --judge-local, not both.");
        var judgeOptions = new JudgeOptions { OnFailure = FailurePolicy(settings) };
        var run = new RunDirectory(settings.Out ?? "runs/train", settings.Quiet);
        TrainingRun.CheckRunDirectory(run.Path, settings.Resume);
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        await using var localJudge = settings.JudgeLocal is null ? null : LocalChatModel.Load(settings.JudgeLocal, device);
        var judge = localJudge is null ? HttpJudge(settings, judgeOptions) : JudgeSource.ChatClient($"{settings.JudgeLocal} (in process)", localJudge.Client, judgeOptions);
        var (policy, tokenizer) = ModelFolder.Load(settings.Model, device);
        using var _ = policy;
        using var data = settings.Data is null ? null : TokenDataset.Open(settings.Data);
        using var objective = definition.Create(new ObjectiveSetup(data, policy, tokenizer, device, type => type == definition.OptionsType ? objectiveOptions : ConfigBinder.Bind(type, settings), weights, judge, run.Log));
        using var algorithm = new GrpoAlgorithm(grpo, policy, tokenizer, objective, device);
        run.WriteConfig(new { command = "train", objective = definition.Name, model = settings.Model, data = settings.Data, rewards = weights, judge = judge?.Description, grpo, objective_options = objectiveOptions });

        var result = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar(definition.Name, grpo.MaxSteps);
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

    private static JudgeSource? HttpJudge(TrainSettings settings, JudgeOptions options)
    {
        if (settings.JudgeUrl is null) return null;
        if (!Uri.TryCreate(settings.JudgeUrl, UriKind.Absolute, out var uri)) throw new ArgumentException($"--judge-url is not an absolute URL: {settings.JudgeUrl}");
        if (settings.JudgeModel is null) throw new ArgumentException("--judge-model is required with --judge-url.");
        return JudgeSource.OpenAiCompatible(uri, settings.JudgeModel, Environment.GetEnvironmentVariable("RLPT_JUDGE_API_KEY"), options);
    }

    private static JudgeFailurePolicy FailurePolicy(TrainSettings settings) => settings.JudgeOnFailure switch
    {
        "score-zero" => JudgeFailurePolicy.ScoreZero,
        "fail" => JudgeFailurePolicy.Fail,
        _ => throw new ArgumentException($"--judge-on-failure must be score-zero or fail (got '{settings.JudgeOnFailure}')."),
    };
}
