namespace Rlpt.Rewards;

/// <param name="Threshold">
/// Cosine similarity at or above which the prediction scores 1. 0.7: MiniLM puts close paraphrases around 0.7–0.9
/// and unrelated sentences near 0; a looser value rewards mere topical overlap.
/// </param>
/// <param name="Dense">Return the cosine similarity (clipped to [0, 1]) instead of 0/1.</param>
public sealed record EmbeddingRewardOptions(double Threshold = 0.7, bool Dense = false)
{
    public static EmbeddingRewardOptions Default { get; } = new();
}
