namespace Rlpt.Data.Cleaning;

/// <summary>
/// Cleans a document stream lazily, one document at a time, counting into a <see cref="CleaningReport"/>. The
/// deduplicators remember what passed through, so one pipeline instance should see the whole corpus once.
/// </summary>
public sealed class CleaningPipeline(CleaningOptions options, CleaningReport report)
{
    private readonly QualityFilter? _quality = options.Quality is { } quality ? new QualityFilter(quality) : null;
    private readonly ExactDeduplicator? _exact = options.ExactDeduplication ? new ExactDeduplicator() : null;
    private readonly MinHashDeduplicator? _near = options.NearDeduplication is { } near ? new MinHashDeduplicator(near) : null;

    public IEnumerable<Document> Clean(IEnumerable<Document> documents)
    {
        foreach (var document in documents)
            if (Clean(document) is { } cleaned) yield return cleaned;
    }

    /// <summary>The cleaned document, or null when a stage dropped it.</summary>
    public Document? Clean(Document document)
    {
        report.Documents++;
        var text = document.Text;
        if (options.Normalize)
        {
            text = TextNormalizer.Normalize(text);
            if (!ReferenceEquals(text, document.Text)) report.Normalized++;
        }
        if (_quality?.Check(text) is { } reason)
        {
            report.Reject(reason);
            return null;
        }
        if (_exact is not null && !_exact.IsNew(text))
        {
            report.ExactDuplicates++;
            return null;
        }
        if (_near is not null && !_near.IsNew(text))
        {
            report.NearDuplicates++;
            return null;
        }
        report.Kept++;
        return ReferenceEquals(text, document.Text) ? document : document with { Text = text };
    }
}
