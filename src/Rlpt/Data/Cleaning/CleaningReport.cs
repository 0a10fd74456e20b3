namespace Rlpt.Data.Cleaning;

/// <summary>What cleaning did: documents seen, changed by normalisation, rejected per reason, dropped as duplicates, kept.</summary>
public sealed class CleaningReport
{
    private readonly Dictionary<QualityRejection, long> _rejected = [];

    public long Documents { get; internal set; }
    public long Normalized { get; internal set; }
    public long ExactDuplicates { get; internal set; }
    public long NearDuplicates { get; internal set; }
    public long Kept { get; internal set; }
    public IReadOnlyDictionary<QualityRejection, long> Rejected => _rejected;

    internal void Reject(QualityRejection reason) => _rejected[reason] = _rejected.GetValueOrDefault(reason) + 1;

    public override string ToString()
    {
        var rejected = string.Join(", ", _rejected.Select(r => $"{r.Value} {r.Key}"));
        return $"{Kept} of {Documents} documents kept; {Normalized} normalised; rejected: {(rejected.Length > 0 ? rejected : "none")}; "
            + $"{ExactDuplicates} exact and {NearDuplicates} near duplicates dropped";
    }
}
