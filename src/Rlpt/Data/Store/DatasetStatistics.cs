namespace Rlpt.Data.Store;

/// <summary>Per-source counts and length distributions of a dataset, read from its indexes (no tokens decoded).</summary>
public sealed record DatasetStatistics(
    IReadOnlyList<SourceInfo> Sources,
    IReadOnlyList<int> DocumentTokens,
    IReadOnlyList<int> SegmentTokens,
    IReadOnlyList<int> SegmentCharacters)
{
    public static DatasetStatistics Compute(TokenDataset data)
    {
        var documentTokens = new List<int>();
        var segmentTokens = new List<int>();
        var segmentCharacters = new List<int>();
        foreach (var split in new[] { data.Train, data.Validation })
        {
            for (long d = 0; d < split.Documents.Count; d++) documentTokens.Add(split.Documents[d].TokenCount);
            for (long s = 0; s < split.Segments.Count; s++)
            {
                var segment = split.Segments[s];
                segmentTokens.Add(segment.TokenCount);
                segmentCharacters.Add(segment.CharLength);
            }
        }
        return new DatasetStatistics(data.Meta.Sources, documentTokens, segmentTokens, segmentCharacters);
    }

    /// <summary>Value at quantile q (0..1) of a distribution (nearest rank).</summary>
    public static double Quantile(IReadOnlyList<int> values, double q)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Clamp(Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
