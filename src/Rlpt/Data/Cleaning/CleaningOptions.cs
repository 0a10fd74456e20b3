namespace Rlpt.Data.Cleaning;

/// <summary>Which cleaning stages run, in this order: normalise → quality filter → exact dedup → near dedup.</summary>
public sealed record CleaningOptions
{
    /// <summary>Run <see cref="TextNormalizer"/> (on by default; later stages then see canonical text).</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>Quality rules; null turns the filter off.</summary>
    public QualityFilterOptions? Quality { get; init; } = new();

    /// <summary>Drop exact duplicates (case- and whitespace-insensitive); on by default.</summary>
    public bool ExactDeduplication { get; init; } = true;

    /// <summary>MinHash near-duplicate removal; null turns it off.</summary>
    public MinHashOptions? NearDeduplication { get; init; } = new();
}
