using System.ComponentModel;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Infrastructure;

/// <summary>
/// The options that choose and shape an RL objective (its data, rewards, judge and task options), shared by the commands
/// that roll one out: train (GRPO) and dpo (its on-policy pairs).
/// </summary>
public class ObjectiveSettings : TrainingSettings
{
    [CommandOption("--objective <NAME>")] [Description("RL objective: rlpt (next-segment reasoning), rlp (information-gain thoughts), empo (semantic-entropy minimisation, no labels), rlvr (verifiable arithmetic), pretrainzero (mask generation and prediction on raw passages). Default: rlpt.")] [DefaultValue("rlpt")] public string Objective { get; init; } = "rlpt";
    [CommandOption("--model <DIR>")] [Description("Policy to start from: the cold-start SFT model folder (rlp: a pretrained model works too).")] public string? Model { get; init; }
    [CommandOption("--data <DIR>")] [Description("Dataset folder whose training split provides the objective's prompts (rlpt, rlp, empo, pretrainzero; rlvr generates its own).")] public string? Data { get; init; }
    [CommandOption("--reward <NAME=W>")] [Description("rlpt: reward and weight (repeatable): prefix, prefix_dense, embedding, embedding_dense, numeric, judge. Default: prefix=1.")] public string[] Reward { get; init; } = [];
    [CommandOption("--judge-url <URL>")] [Description("OpenAI-compatible base URL of the judge, e.g. http://127.0.0.1:8000/v1.")] public string? JudgeUrl { get; init; }
    [CommandOption("--judge-model <NAME>")] [Description("Model name the judge server serves.")] public string? JudgeModel { get; init; }
    [CommandOption("--judge-local <DIR>")] [Description("Judge with a model folder run in this process through an IChatClient (no server).")] public string? JudgeLocal { get; init; }
    [CommandOption("--judge-on-failure <POLICY>")] [Description("score-zero (count and go on) or fail. Default: score-zero.")] [DefaultValue("score-zero")] public string JudgeOnFailure { get; init; } = "score-zero";
    [CommandOption("--seed <N>")] [Description("Default: 1234.")] public int? Seed { get; init; }
    [CommandOption("--msr-fraction <F>")] [Description("Share of MSR tasks (λ-mix). Default: 0.5.")] public double? MsrFraction { get; init; }
    [CommandOption("--context-tokens <N>")] [Description("Context budget; earlier segments are dropped whole. Default: 384.")] public int? ContextTokens { get; init; }
    [CommandOption("--max-target-tokens <N>")] [Description("Longest segment used as a prediction target. Default: 64.")] public int? MaxTargetTokens { get; init; }
    [CommandOption("--source <NAME>")] [Description("rlpt, empo, pretrainzero: draw tasks only from documents of this source (e.g. arithmetic; brown covers every brown/... category). Default: every source by weight.")] public string? Source { get; init; }
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
