using System.Text.Json.Serialization;

namespace Rlpt.Evaluation;

/// <summary>Which held-out arithmetic problems <see cref="ArithmeticEvaluator"/> poses and how it decodes.</summary>
public sealed record ArithmeticEvaluationOptions
{
    /// <summary>Levels 1..max_level (number of operations) are evaluated.</summary>
    [JsonPropertyName("max_level")] public int MaxLevel { get; init; } = 4;
    [JsonPropertyName("problems_per_level")] public int ProblemsPerLevel { get; init; } = 50;
    /// <summary>Seed of the problem set (the decodings carry their own sampling seeds).</summary>
    [JsonPropertyName("seed")] public int Seed { get; init; }
    /// <summary>Decoding for pass@1.</summary>
    [JsonPropertyName("greedy")] public EvaluationDecoding Greedy { get; init; } = EvaluationDecoding.Greedy(128);
    /// <summary>n samples per problem for pass@k; null skips pass@k.</summary>
    [JsonPropertyName("sampled")] public EvaluationDecoding? Sampled { get; init; }
    /// <summary>The k of pass@k, each at most the sampled decoding's n; empty means {1, n}.</summary>
    [JsonPropertyName("k")] public IReadOnlyList<int> K { get; init; } = [];

    public IReadOnlyList<int> EffectiveK() => Sampled is null ? [] : K.Count > 0 ? K : new[] { 1, Sampled.Samples }.Distinct().ToArray();

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLevel, 1, "max_level");
        ArgumentOutOfRangeException.ThrowIfLessThan(ProblemsPerLevel, 1, "problems_per_level");
        if (Greedy.Temperature != 0) throw new ArgumentException("pass@1 uses greedy decoding: the greedy decoding's temperature must be 0.");
        Greedy.Validate();
        Sampled?.Validate();
        if (Sampled is not null && EffectiveK().Any(k => k < 1 || k > Sampled.Samples))
            throw new ArgumentException($"every k must be in [1, {Sampled.Samples}] (the number of samples).");
    }
}
