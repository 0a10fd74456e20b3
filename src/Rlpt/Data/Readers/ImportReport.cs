using System.Text;
using Rlpt.Data.Cleaning;

namespace Rlpt.Data.Readers;

/// <summary>
/// Counts of what an import read and what it skipped, with a few example messages per problem (e.g.
/// "data.jsonl:17: invalid JSON …") so a user can find the bad records. Cleaning counts go into <see cref="Cleaning"/>.
/// </summary>
public sealed class ImportReport(int maxExamplesPerProblem = 5)
{
    private readonly Dictionary<ImportProblem, long> _problems = [];
    private readonly Dictionary<ImportProblem, List<string>> _examples = [];
    private readonly SortedDictionary<string, SourceStatistics> _sources = new(StringComparer.Ordinal);

    public long FilesRead { get; private set; }
    public long Documents { get; private set; }
    public long Bytes { get; private set; }
    public IReadOnlyDictionary<string, SourceStatistics> Sources => _sources;
    public CleaningReport Cleaning { get; } = new();

    public long Count(ImportProblem problem) => _problems.GetValueOrDefault(problem);

    public IReadOnlyList<string> Examples(ImportProblem problem) => _examples.TryGetValue(problem, out var list) ? list : [];

    internal void Record(ImportProblem problem, string where, string message)
    {
        _problems[problem] = Count(problem) + 1;
        if (!_examples.TryGetValue(problem, out var list)) _examples[problem] = list = [];
        if (list.Count < maxExamplesPerProblem) list.Add($"{where}: {message}");
    }

    internal void FileOpened() => FilesRead++;

    internal void Accept(Document document)
    {
        var bytes = Encoding.UTF8.GetByteCount(document.Text);
        if (!_sources.TryGetValue(document.Source, out var source)) _sources[document.Source] = source = new SourceStatistics();
        source.Documents++;
        source.Bytes += bytes;
        Documents++;
        Bytes += bytes;
    }

    /// <summary>One line for humans, e.g. "12 documents (3.4 MB) from 4 files; skipped: 2 binary file, 1 empty".</summary>
    public override string ToString()
    {
        var problems = string.Join(", ", _problems.Where(p => p.Value > 0).Select(p => $"{p.Value} {Describe(p.Key)}"));
        return $"{Documents} documents ({Bytes / 1e6:0.0} MB) from {FilesRead} files" + (problems.Length > 0 ? $"; {problems}" : "");
    }

    /// <summary>A JSON-serialisable summary for import_report.json.</summary>
    public object ToJson() => new
    {
        files_read = FilesRead,
        documents = Documents,
        megabytes = Bytes / 1e6,
        problems = _problems.ToDictionary(p => Describe(p.Key), p => p.Value),
        examples = _examples.ToDictionary(e => Describe(e.Key), e => e.Value),
        sources = _sources.ToDictionary(s => s.Key, s => new { documents = s.Value.Documents, megabytes = s.Value.Bytes / 1e6 }),
        cleaning = new
        {
            documents = Cleaning.Documents,
            normalized = Cleaning.Normalized,
            rejected = Cleaning.Rejected.ToDictionary(r => r.Key.ToString(), r => r.Value),
            exact_duplicates = Cleaning.ExactDuplicates,
            near_duplicates = Cleaning.NearDuplicates,
            kept = Cleaning.Kept,
        },
    };

    private static string Describe(ImportProblem problem) => problem switch
    {
        ImportProblem.RepairedUtf8 => "repaired (invalid UTF-8)",
        ImportProblem.BinaryFile => "binary",
        ImportProblem.Empty => "empty",
        ImportProblem.InvalidJson => "invalid JSON",
        ImportProblem.MissingTextField => "without text field",
        ImportProblem.Oversized => "oversized",
        ImportProblem.UnknownFormat => "unknown format",
        _ => "unreadable",
    };
}
