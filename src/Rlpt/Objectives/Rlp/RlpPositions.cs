using Rlpt.Data.Store;

namespace Rlpt.Objectives.Rlp;

/// <summary>
/// Where RLP thinks: the n-th position is a document drawn uniformly among those with room for the context and the
/// scored tokens, then a position t uniformly in it; a pure function of (seed, n), so the count drawn is the whole state.
/// </summary>
public sealed class RlpPositions
{
    private readonly DatasetSplit split;
    private readonly RlpOptions options;
    private readonly long[] eligible;

    public RlpPositions(DatasetSplit split, RlpOptions options)
    {
        options.Validate();
        this.split = split;
        this.options = options;
        eligible = Enumerable.Range(0, checked((int)split.Documents.Count)).Select(d => (long)d)
            .Where(d => split.Documents[d].TokenCount >= options.MinContextTokens + options.ScoredTokens).ToArray();
        if (eligible.Length == 0)
            throw new InvalidDataException($"no document of the split has the {options.MinContextTokens + options.ScoredTokens} tokens RLP needs (rlp_min_context_tokens + rlp_scored_tokens).");
    }

    public RlpTask Draw(long index)
    {
        var random = new CounterRandom(options.Seed, index);
        long document = eligible[random.Next(eligible.Length)];
        var entry = split.Documents[document];
        int first = options.MinContextTokens, last = entry.TokenCount - options.ScoredTokens;
        int position = first + (int)random.Next(last - first + 1);
        int start = Math.Max(0, position - options.ContextTokens);
        return new RlpTask(
            split.ReadTokens(entry.TokenStart + start, position - start),
            split.ReadTokens(entry.TokenStart + position, options.ScoredTokens),
            document, position);
    }
}
