namespace Rlpt.Data.Cleaning;

/// <summary>
/// Near-duplicate detection by MinHash with LSH banding. Two documents whose shingle sets have Jaccard similarity s
/// become candidates with probability 1 − (1 − s^r)^b for b bands of r rows; that S-curve is steepest near
/// (1/b)^(1/r). When <see cref="Bands"/> and <see cref="RowsPerBand"/> are left at 0, the pair with b·r ≤
/// <see cref="NumPermutations"/> whose (1/b)^(1/r) is closest to <see cref="Threshold"/> is used: 11 × 11 for 128
/// permutations and 0.8 (curve at 0.804; a pair at s = 0.95 is found with probability > 0.999).
/// Candidates are then verified: dropped only if their estimated Jaccard similarity is ≥ the threshold.
/// </summary>
public sealed record MinHashOptions
{
    /// <summary>Words per shingle; 5-grams as in GPT-3/The Pile/Gopher-style deduplication.</summary>
    public int ShingleSize { get; init; } = 5;

    public int NumPermutations { get; init; } = 128;

    /// <summary>0: derived from the threshold (see the type's summary).</summary>
    public int Bands { get; init; }

    /// <summary>0: derived from the threshold (see the type's summary).</summary>
    public int RowsPerBand { get; init; }

    /// <summary>Estimated Jaccard similarity at or above which a later document is a duplicate of an earlier one.</summary>
    public double Threshold { get; init; } = 0.8;

    /// <summary>Seeds the hash functions: the same seed gives the same signatures and decisions.</summary>
    public ulong Seed { get; init; } = 0x5EED;

    /// <summary>The bands and rows in use: as configured, or the pair that puts the S-curve nearest the threshold.</summary>
    public (int Bands, int Rows) Banding()
    {
        if (Bands > 0 && RowsPerBand > 0)
        {
            if (Bands * RowsPerBand > NumPermutations)
                throw new ArgumentException($"{Bands} bands × {RowsPerBand} rows need more than {NumPermutations} permutations");
            return (Bands, RowsPerBand);
        }
        return Enumerable.Range(1, NumPermutations)
            .Select(rows => (Bands: NumPermutations / rows, Rows: rows))
            .MinBy(p => Math.Abs(Math.Pow(1.0 / p.Bands, 1.0 / p.Rows) - Threshold));
    }
}
