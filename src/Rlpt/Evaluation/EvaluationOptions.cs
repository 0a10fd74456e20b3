using System.Text.Json.Serialization;

namespace Rlpt.Evaluation;

/// <summary>What `rlpt eval` (and the demo) measures on a checkpoint, with documented defaults.</summary>
public sealed record EvaluationOptions
{
    /// <summary>
    /// Objectives whose own held-out evaluation runs, by registry name: rlpt (next-segment reward), rlp (information
    /// gain of thoughts), empo (semantic entropy and answer accuracy). Each reads its task options as in training.
    /// Default: rlpt.
    /// </summary>
    [JsonPropertyName("objectives")] public IReadOnlyList<string> Objectives { get; init; } = ["rlpt"];
    /// <summary>Held-out items each objective draws (rlpt: tasks, half ASR and half MSR; rlp: positions; empo: questions); 0 skips them.</summary>
    [JsonPropertyName("tasks")] public int Tasks { get; init; } = 64;
    [JsonPropertyName("decoding")] public EvaluationDecoding Decoding { get; init; } = EvaluationDecoding.Greedy(96);
    /// <summary>Held-out windows for perplexity; 0 skips.</summary>
    [JsonPropertyName("perplexity_windows")] public int PerplexityWindows { get; init; } = 64;
    [JsonPropertyName("sequence_length")] public int SequenceLength { get; init; } = 256;
    /// <summary>Arithmetic problems by level; null skips.</summary>
    [JsonPropertyName("arithmetic")] public ArithmeticEvaluationOptions? Arithmetic { get; init; } = new() { MaxLevel = 3, ProblemsPerLevel = 20 };
    [JsonPropertyName("seed")] public int Seed { get; init; } = 4321;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Tasks, "tasks");
        ArgumentOutOfRangeException.ThrowIfNegative(PerplexityWindows, "perplexity_windows");
        if (Objectives.Distinct().Count() != Objectives.Count) throw new ArgumentException("each objective is evaluated once; a name is repeated.");
        Decoding.Validate();
    }
}
