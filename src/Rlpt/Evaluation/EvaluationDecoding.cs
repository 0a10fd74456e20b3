using System.Text.Json.Serialization;
using Rlpt.Generation;
using Rlpt.Tokenization;

namespace Rlpt.Evaluation;

/// <summary>
/// How evaluation completions are decoded: greedy (one completion per prompt), or sampled with n completions per
/// prompt. Generation stops at <c>&lt;|im_end|&gt;</c> (or the evaluation's own stop strings) or end of text. Each completion's seed derives from (seed,
/// prompt, sample), so results do not depend on the batch size.
/// </summary>
public sealed record EvaluationDecoding
{
    [JsonPropertyName("temperature")] public double Temperature { get; init; }
    [JsonPropertyName("top_p")] public double TopP { get; init; } = 1;
    [JsonPropertyName("samples")] public int Samples { get; init; } = 1;
    [JsonPropertyName("max_new_tokens")] public int MaxNewTokens { get; init; } = 256;
    [JsonPropertyName("seed")] public int Seed { get; init; }
    /// <summary>Completions generated together (a memory bound, not a result-changing setting).</summary>
    [JsonPropertyName("batch_size")] public int BatchSize { get; init; } = 16;

    public static EvaluationDecoding Greedy(int maxNewTokens = 256) => new() { MaxNewTokens = maxNewTokens };

    /// <summary>The RLPT paper's evaluation sampling: temperature 0.6, top-p 0.95, n samples per prompt.</summary>
    public static EvaluationDecoding Sampled(int samples, int maxNewTokens = 256, int seed = 0) =>
        new() { Temperature = 0.6, TopP = 0.95, Samples = samples, MaxNewTokens = maxNewTokens, Seed = seed };

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Samples, 1, "samples");
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, "batch_size");
        // Greedy samples would all be identical: n of them would only repeat one measurement.
        if (Temperature == 0 && Samples > 1) throw new ArgumentException($"greedy decoding gives identical samples; use samples = 1 (got {Samples}).");
        Options(0, 0).Validate();
    }

    internal SamplingOptions Options(int prompt, int sample, IReadOnlyList<string>? stopStrings = null) => new()
    {
        MaxNewTokens = MaxNewTokens,
        Temperature = Temperature,
        TopP = TopP,
        StopStrings = stopStrings ?? [SpecialTokens.ImEnd],
        Seed = SamplingSeeds.Derive($"{Seed}/{prompt}/{sample}"),
    };
}
