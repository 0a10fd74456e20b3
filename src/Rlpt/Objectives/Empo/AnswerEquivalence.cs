using Rlpt.Data.Corpora.Arithmetic;
using Rlpt.Rewards;

namespace Rlpt.Objectives.Empo;

/// <summary>When two answers mean the same under empo_cluster_by (see <see cref="EmpoOptions.ClusterBy"/>).</summary>
public static class AnswerEquivalence
{
    /// <param name="texts">Every answer the relation will compare (embeddings are computed for these once).</param>
    public static Func<string, string, bool> For(EmpoOptions options, IEnumerable<string?> texts, CancellationToken cancellation)
    {
        switch (options.ClusterBy)
        {
            case "text":
                return (a, b) => TextNormalization.Normalize(a) == TextNormalization.Normalize(b);
            case "embedding":
                var distinct = texts.OfType<string>().Distinct().ToArray();
                float[][] vectors;
                var encoder = MiniLmEncoder.Shared;
                lock (encoder) vectors = encoder.Encode(distinct, cancellation);
                var index = distinct.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => vectors[p.i]);
                return (a, b) => a == b || EmbeddingReward.Cosine(index[a], index[b]) >= options.Similarity;
            default:
                return (a, b) =>
                {
                    bool numberA = NumericAnswer.TryParseStatedValue(a, out var x), numberB = NumericAnswer.TryParseStatedValue(b, out var y);
                    if (numberA || numberB) return numberA && numberB && NumericAnswer.Equivalent(x, y);
                    return TextNormalization.Normalize(a) == TextNormalization.Normalize(b);
                };
        }
    }
}
