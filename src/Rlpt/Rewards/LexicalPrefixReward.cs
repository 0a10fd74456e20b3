namespace Rlpt.Rewards;

/// <summary>
/// RLPT's prefix reward without a judge: the prediction scores when, after <see cref="TextNormalization"/>, its words
/// match a prefix of the reference continuation (s_i and the segments after it) — so running on into s_i+1 is fine.
/// The prefix length is free: one edit-distance table between the prediction and the whole continuation gives the
/// distance to every prefix at once, and the best ratio wins (ties prefer the longer prefix).
/// </summary>
public sealed class LexicalPrefixReward(LexicalPrefixOptions? options = null) : IRewardFunction
{
    private readonly LexicalPrefixOptions _options = options ?? LexicalPrefixOptions.Default;

    public string Name => "prefix";

    public Task<RewardScores> ScoreAsync(IReadOnlyList<RewardInput> batch, CancellationToken cancellation)
    {
        var scores = new double[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            scores[i] = Score(batch[i]);
        }
        return Task.FromResult(new RewardScores(scores));
    }

    public double Score(RewardInput input)
    {
        if (input.Prediction is null) return 0;
        var prediction = TextNormalization.Words(input.Prediction);
        var continuation = TextNormalization.Words(input.ReferenceContinuation);
        if (prediction.Count == 0 || continuation.Count == 0) return 0;

        var (similarity, prefixLength) = BestPrefixMatch(prediction, continuation);
        var segmentWords = Math.Max(1, TextNormalization.Words(input.Reference).Count);
        if ((double)prefixLength / segmentWords < _options.MinCoverage) return 0;
        if (_options.Dense) return similarity;
        return similarity >= _options.MinSimilarity ? 1 : 0;
    }

    /// <summary>The highest 1 − distance / max(n, m) over prefixes of length m ≥ 1, and that m.</summary>
    internal static (double Similarity, int PrefixLength) BestPrefixMatch(IReadOnlyList<string> prediction, IReadOnlyList<string> continuation)
    {
        var n = prediction.Count;
        // Prefixes much longer than the prediction cannot score above 0 (distance ≥ m − n), so stop at 2n.
        var maxM = Math.Min(continuation.Count, 2 * n);
        var previous = new int[maxM + 1];
        var current = new int[maxM + 1];
        for (var m = 0; m <= maxM; m++) previous[m] = m;
        for (var p = 1; p <= n; p++)
        {
            current[0] = p;
            for (var m = 1; m <= maxM; m++)
            {
                var substitution = previous[m - 1] + (prediction[p - 1] == continuation[m - 1] ? 0 : 1);
                current[m] = Math.Min(substitution, Math.Min(previous[m], current[m - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }

        var best = (Similarity: 0.0, PrefixLength: 0);
        for (var m = 1; m <= maxM; m++)
        {
            var similarity = 1 - (double)previous[m] / Math.Max(n, m);
            if (similarity >= best.Similarity) best = (similarity, m);
        }
        return best;
    }
}
