using SentenceTransformers;

namespace Rlpt.Rewards;

/// <summary>
/// Semantic prefix reward: cosine similarity between the sentence embeddings of the prediction and of a reference
/// prefix of comparable length — the leading words of the reference continuation, as many as the prediction has but
/// never fewer than s_i has, so a prediction that runs on into s_i+1 is compared with s_i and the start of s_i+1.
/// All texts of a batch are encoded in one call.
/// </summary>
public sealed class EmbeddingReward(EmbeddingRewardOptions? options = null, ISentenceEncoder? encoder = null) : IRewardFunction
{
    private readonly EmbeddingRewardOptions _options = options ?? EmbeddingRewardOptions.Default;

    public string Name => "embedding";

    public async Task<RewardScores> ScoreAsync(IReadOnlyList<RewardInput> batch, CancellationToken cancellation)
    {
        var scores = new double[batch.Count];
        var scored = Enumerable.Range(0, batch.Count).Where(i => batch[i].Prediction is not null).ToArray();
        if (scored.Length == 0) return new RewardScores(scores);

        var texts = new string[2 * scored.Length];
        for (var k = 0; k < scored.Length; k++)
        {
            var input = batch[scored[k]];
            texts[2 * k] = input.Prediction!;
            texts[2 * k + 1] = ReferencePrefix(input);
        }
        var vectors = await Task.Run(() => Encode(texts, cancellation), cancellation).ConfigureAwait(false);
        for (var k = 0; k < scored.Length; k++)
        {
            var similarity = Math.Clamp(Cosine(vectors[2 * k], vectors[2 * k + 1]), 0, 1);
            scores[scored[k]] = _options.Dense ? similarity : similarity >= _options.Threshold ? 1 : 0;
        }
        return new RewardScores(scores);
    }

    private float[][] Encode(string[] texts, CancellationToken cancellation)
    {
        var model = encoder ?? MiniLmEncoder.Shared;
        // Serialised per encoder, which the shared one makes process-wide: its tokenizer is not documented as thread-safe.
        lock (model) return model.Encode(texts, cancellation);
    }

    /// <summary>The first max(|prediction words|, |s_i words|) white-space words of the reference continuation.</summary>
    internal static string ReferencePrefix(RewardInput input)
    {
        static string[] Split(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var words = Math.Max(Split(input.Prediction ?? "").Length, Split(input.Reference).Length);
        return string.Join(' ', Split(input.ReferenceContinuation).Take(words));
    }

    // Computed in full rather than as a dot product so an injected encoder need not normalise its vectors.
    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }
}
