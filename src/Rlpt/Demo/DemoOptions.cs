using System.Text.Json.Serialization;
using Rlpt.Evaluation;
using Rlpt.Objectives.Rlpt;
using Rlpt.Training;
using Rlpt.Training.Pretraining;
using Rlpt.Training.Rl;
using Rlpt.Training.Sft;

namespace Rlpt.Demo;

/// <summary>
/// The demo's choices, sized for a 2-core CPU in under 20 minutes: the small preset (~11M parameters)
/// pretrained for 300 steps of 8×256 tokens, a 600-example cold start, 40 GRPO steps at learning rate 1e-4, a control
/// that continues next-token pretraining from the cold start for the RL stage's wall-clock time, and an evaluation of
/// all three. The RL learning rate and step count come from the tuning runs in EXPERIMENTS.md.
/// Quick: the tiny preset and a few steps of each stage, for tests and a first look.
/// </summary>
public sealed record DemoOptions
{
    [JsonPropertyName("preset")] public string Preset { get; init; } = "small";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 4096;
    /// <summary>Generated RandomCalculation documents added to the Brown Corpus.</summary>
    [JsonPropertyName("arithmetic_documents")] public int ArithmeticDocuments { get; init; } = 5000;
    [JsonPropertyName("pretrain")] public PretrainConfig Pretrain { get; init; } = new()
    {
        SequenceLength = 256, BatchSize = 8, MaxSteps = 300, WarmupSteps = 30, LearningRate = 1e-3, EvalEvery = 50, SaveEvery = 100,
    };
    [JsonPropertyName("tasks")] public RlptTaskOptions Tasks { get; init; } = new() { ContextTokens = 192, MaxTargetTokens = 48 };
    [JsonPropertyName("sft_examples")] public int SftExamples { get; init; } = 600;
    [JsonPropertyName("sft")] public SftConfig Sft { get; init; } = new() { Epochs = 1, BatchSize = 8, LearningRate = 5e-4, WarmupSteps = 5, MaxLength = 320, SaveEvery = 0 };
    /// <summary>
    /// 8 prompts × 8 samples for 60 steps: three times the samples of the unshared path's 4 × 40, in less wall time, since
    /// the shared-prefix path runs a step of this size faster than that one of half the size (BENCHMARKS.md).
    /// </summary>
    [JsonPropertyName("grpo")] public GrpoConfig Grpo { get; init; } = new()
    {
        NumGenerations = 8, PromptsPerStep = 8, MaxCompletionLength = 48, LearningRate = 1e-4, MaxSteps = 60, SaveEvery = 20, MicroBatchSize = 8,
    };
    /// <summary>
    /// Dense prefix similarity rather than the binary prefix match: at this model size the binary reward was never
    /// met, so every group was constant and GRPO had no signal (EXPERIMENTS.md).
    /// </summary>
    [JsonPropertyName("rewards")] public IReadOnlyDictionary<string, double> Rewards { get; init; } = new Dictionary<string, double> { ["prefix_dense"] = 1.0, ["numeric"] = 1.0 };
    /// <summary>Learning rate of the control's continued next-token pretraining (constant in effect).</summary>
    [JsonPropertyName("control_learning_rate")] public double ControlLearningRate { get; init; } = 1e-4;
    /// <summary>
    /// The control's budget in steps; null (the default) gives it the RL stage's training time instead (the summed wall
    /// time of its steps), the compute-matched comparison. Time budgets differ from run to run; a step budget makes a
    /// demo reproduce bit for bit, killed and re-run or not.
    /// </summary>
    [JsonPropertyName("control_steps")] public int? ControlSteps { get; init; }
    /// <summary>
    /// Evaluation of each checkpoint; its RLPT tasks are built with <see cref="Tasks"/>, and "objectives" adds the other
    /// objectives' own evaluations (e.g. ["rlpt", "rlp", "empo"]) to the report. Next-segment reward is the
    /// mean over 4 samples at temperature 0.6 / top-p 0.95 (the RLPT paper's protocol): in the tuning runs greedy
    /// decoding showed no supported difference where sampled decoding did (EXPERIMENTS.md).
    /// </summary>
    /// <remarks>
    /// No arithmetic pass@1: every checkpoint scored 0 at this scale, at every level (EXPERIMENTS.md), so it only took
    /// half of the comparison chart. `rlpt eval` measures it by default.
    /// </remarks>
    [JsonPropertyName("evaluation")] public EvaluationOptions Evaluation { get; init; } = new()
    {
        Tasks = 64, Decoding = EvaluationDecoding.Sampled(4, 48) with { BatchSize = 64 }, PerplexityWindows = 32, Arithmetic = null,
    };
    /// <summary>Prompts completed by the pretrained model in the report.</summary>
    [JsonPropertyName("sample_prompts")] public IReadOnlyList<string> SamplePrompts { get; init; } =
        ["The jury said", "In the morning, she", "The committee", "We need to compute 3 + 4 * 5. First,"];
    [JsonPropertyName("sample_tokens")] public int SampleTokens { get; init; } = 48;
    [JsonPropertyName("seed")] public int Seed { get; init; } = 1234;

    public static DemoOptions Quick { get; } = new()
    {
        Preset = "tiny",
        ArithmeticDocuments = 500,
        Pretrain = new PretrainConfig { SequenceLength = 128, BatchSize = 8, MaxSteps = 40, WarmupSteps = 5, LearningRate = 2e-3, EvalEvery = 20, EvalBatches = 4, SaveEvery = 20 },
        Tasks = new RlptTaskOptions { ContextTokens = 64, MaxTargetTokens = 32 },
        SftExamples = 32,
        Sft = new SftConfig { Epochs = 1, BatchSize = 8, LearningRate = 1e-3, WarmupSteps = 1, MaxLength = 160, SaveEvery = 0 },
        Grpo = new GrpoConfig { NumGenerations = 4, PromptsPerStep = 2, MaxCompletionLength = 16, LearningRate = 1e-4, MaxSteps = 3, SaveEvery = 0, MicroBatchSize = 8 },
        Evaluation = new EvaluationOptions
        {
            Tasks = 8, Decoding = EvaluationDecoding.Greedy(16), PerplexityWindows = 8, SequenceLength = 128, Arithmetic = null,
        },
        SampleTokens = 24,
    };
}
