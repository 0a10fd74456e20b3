using static TorchSharp.torch;

namespace Rlpt.Generation;

/// <summary>
/// Picks one token per row from next-token logits, each row with its own temperature, top-k, top-p and uniform
/// draw. Sampling inverts the CDF of the (filtered) distribution with one uniform per row, so a row's choice
/// depends only on its own logits, options and seed, never on the rest of the batch. Rows with top-k/top-p walk
/// the CDF in probability order (the filters need the sort); unfiltered rows walk it in vocabulary order and
/// skip the sort.
/// </summary>
internal static class TokenSampler
{
    /// <returns>
    /// Chosen tokens [batch], their log-probabilities under the temperature-scaled distribution and, for rows with
    /// <see cref="SamplingOptions.TopLogProbs"/>, that many most likely tokens of the same distribution.
    /// </returns>
    public static SampledTokens Sample(Tensor logits, IReadOnlyList<SamplingOptions> options, double[] uniforms)
    {
        using var scope = NewDisposeScope();
        var device = logits.device;
        long vocab = logits.shape[1];
        var temperatures = options.Select(o => o.Temperature).ToArray();
        var greedy = tensor(temperatures.Select(t => t == 0).ToArray(), device: device);
        var divisor = tensor(temperatures.Select(t => t == 0 ? 1f : (float)t).ToArray(), device: device).unsqueeze(1);
        var scaled = logits.to(ScalarType.Float32) / divisor;
        var logProbs = scaled.log_softmax(-1);

        Tensor chosen = logits.argmax(-1);
        if (temperatures.Any(t => t > 0))
        {
            var targets = tensor(uniforms.Select(u => (float)u).ToArray(), device: device).unsqueeze(1);
            // Unfiltered rows invert the CDF in vocabulary order (no sort needed) ...
            var plainCdf = logProbs.exp().cumsum(-1);
            var sampled = searchsorted(plainCdf, targets * plainCdf.narrow(1, vocab - 1, 1)).clamp_max(vocab - 1).squeeze(1);
            var filters = options.Select(o => o.TopK > 0 || o.TopP < 1).ToArray();
            if (filters.Any(f => f))
            {
                // ... rows with top-k/top-p in probability order, which those filters need.
                var (sortedLogits, sortedIndex) = scaled.sort(-1, descending: true);
                var sortedProbs = sortedLogits.softmax(-1);
                var ranks = arange(vocab, device: device).unsqueeze(0);
                var topK = tensor(options.Select(o => o.TopK > 0 ? (long)o.TopK : vocab).ToArray(), device: device).unsqueeze(1);
                var topP = tensor(options.Select(o => (float)o.TopP).ToArray(), device: device).unsqueeze(1);
                // Keep a token while the mass strictly before it is below top_p: the most likely token always stays.
                var keep = ranks.lt(topK).logical_and((sortedProbs.cumsum(-1) - sortedProbs).lt(topP));
                var cdf = (sortedProbs * keep).cumsum(-1);
                var position = searchsorted(cdf, targets * cdf.narrow(1, vocab - 1, 1)).clamp_max(vocab - 1);
                sampled = where(tensor(filters, device: device), sortedIndex.gather(1, position).squeeze(1), sampled);
            }
            chosen = where(greedy, chosen, sampled);
        }
        var chosenLogProbs = logProbs.gather(1, chosen.unsqueeze(1)).squeeze(1);
        return new SampledTokens(chosen.cpu().data<long>().ToArray(), chosenLogProbs.cpu().data<float>().ToArray(),
            options.Any(o => o.TopLogProbs > 0) ? Top(logProbs, options.Select(o => o.TopLogProbs).ToArray()) : null);
    }

    /// <summary>Each row's <paramref name="counts"/>[row] most likely tokens of <paramref name="logProbs"/> [rows, vocab], most likely first.</summary>
    public static TokenLogProb[][] Top(Tensor logProbs, int[] counts)
    {
        using var scope = NewDisposeScope();
        int most = Math.Min(counts.Max(), (int)logProbs.shape[1]);
        if (most == 0) return counts.Select(_ => Array.Empty<TokenLogProb>()).ToArray();
        var (values, indexes) = logProbs.topk(most, dim: -1);
        var v = values.cpu().data<float>().ToArray();
        var ix = indexes.cpu().data<long>().ToArray();
        return counts.Select((k, row) => Enumerable.Range(0, Math.Min(k, most)).Select(j => new TokenLogProb((int)ix[row * most + j], v[row * most + j])).ToArray()).ToArray();
    }
}

/// <summary>One sampling step's tokens and log-probabilities; <see cref="Top"/> only when a row asked for alternatives.</summary>
internal sealed record SampledTokens(long[] Tokens, float[] LogProbs, TokenLogProb[][]? Top)
{
    public void Deconstruct(out long[] tokens, out float[] logProbs) => (tokens, logProbs) = (Tokens, LogProbs);
}
