using System.Text.Json.Serialization;
using Rlpt.Training;

namespace Rlpt.Demo;

/// <summary>
/// The demo's choices. Full: the small preset (~11M parameters) for 400 steps of 8×256 tokens (~8 minutes on
/// 2 cores); quick: the tiny preset for 40 short steps (seconds), for tests and a first look.
/// </summary>
public sealed record DemoOptions
{
    [JsonPropertyName("preset")] public string Preset { get; init; } = "small";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 4096;
    /// <summary>Generated RandomCalculation documents added to the Brown Corpus.</summary>
    [JsonPropertyName("arithmetic_documents")] public int ArithmeticDocuments { get; init; } = 5000;
    [JsonPropertyName("pretrain")] public PretrainConfig Pretrain { get; init; } = new()
    {
        SequenceLength = 256, BatchSize = 8, MaxSteps = 400, WarmupSteps = 40, LearningRate = 1e-3, EvalEvery = 50, SaveEvery = 100,
    };
    /// <summary>Prompts completed by the trained model in the report.</summary>
    [JsonPropertyName("sample_prompts")] public IReadOnlyList<string> SamplePrompts { get; init; } =
        ["The jury said", "In the morning, she", "The committee", "We need to compute 3 + 4 * 5. First,"];
    [JsonPropertyName("sample_tokens")] public int SampleTokens { get; init; } = 48;
    [JsonPropertyName("seed")] public int Seed { get; init; } = 1234;

    public static DemoOptions Quick { get; } = new()
    {
        Preset = "tiny",
        Pretrain = new PretrainConfig { SequenceLength = 128, BatchSize = 8, MaxSteps = 40, WarmupSteps = 5, LearningRate = 2e-3, EvalEvery = 20, EvalBatches = 4, SaveEvery = 20 },
        SampleTokens = 24,
        ArithmeticDocuments = 500,
    };
}
