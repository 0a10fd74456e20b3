using System.Text.Json.Serialization;

namespace Rlpt.Objectives.Empo;

/// <summary>EMPO (arXiv 2504.05812): how answers are grouped by meaning and which prompts are trained on.</summary>
public sealed record EmpoOptions
{
    /// <summary>
    /// How two answers are judged to mean the same: auto (exact rational equivalence when both state a number, else
    /// normalised-text equality), text (normalised-text equality only) or embedding (MiniLM cosine ≥ empo_similarity).
    /// </summary>
    [JsonPropertyName("empo_cluster_by")] public string ClusterBy { get; init; } = "auto";

    /// <summary>Cosine threshold of the embedding clustering. Default 0.85.</summary>
    [JsonPropertyName("empo_similarity")] public double Similarity { get; init; } = 0.85;

    /// <summary>
    /// The entropy band: a prompt is trained on only when its semantic entropy divided by ln G lies in
    /// [empo_min_entropy, empo_max_entropy]. EMPO drops the most uncertain prompts (answers near random); our default
    /// keeps everything but the top tenth of the scale, where nearly every answer differs. Defaults 0 and 0.9.
    /// </summary>
    [JsonPropertyName("empo_min_entropy")] public double MinEntropy { get; init; }
    [JsonPropertyName("empo_max_entropy")] public double MaxEntropy { get; init; } = 0.9;

    public static IReadOnlyCollection<string> ClusterModes { get; } = ["auto", "text", "embedding"];

    public void Validate()
    {
        if (!ClusterModes.Contains(ClusterBy)) throw new ArgumentException($"empo_cluster_by must be one of {string.Join(", ", ClusterModes)} (got '{ClusterBy}').");
        if (!(Similarity > 0 && Similarity <= 1)) throw new ArgumentException($"empo_similarity must be in (0, 1] (got {Similarity}).");
        if (!(MinEntropy >= 0 && MinEntropy <= MaxEntropy && MaxEntropy <= 1))
            throw new ArgumentException($"the entropy band must satisfy 0 <= empo_min_entropy <= empo_max_entropy <= 1 (got [{MinEntropy}, {MaxEntropy}]).");
    }
}
