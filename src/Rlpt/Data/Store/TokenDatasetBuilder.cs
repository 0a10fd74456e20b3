using System.Text.Json;
using Rlpt.Tokenization;

namespace Rlpt.Data.Store;

/// <summary>Choices made when a dataset is written.</summary>
public sealed record DatasetBuildOptions
{
    /// <summary>Share of documents held out, chosen by a hash of each document's text.</summary>
    public double HeldOutFraction { get; init; } = 0.05;
    /// <summary>Cuts a document into trimmed character ranges; null keeps each document as one segment.</summary>
    public Func<string, IReadOnlyList<(int Start, int End)>>? Segmenter { get; init; }
    /// <summary>Recorded in meta.json (e.g. "sentence").</summary>
    public string SegmentationName { get; init; } = "document";
    /// <summary>Per-source sampling weights for mixing; sources not named get 1.</summary>
    public IReadOnlyDictionary<string, double> SourceWeights { get; init; } = new Dictionary<string, double>();
}

/// <summary>
/// Tokenizes documents into a <see cref="TokenDataset"/> directory (with its tokenizer.json), streaming: memory
/// stays flat. Each segment is tokenized with the whitespace before it, so segments tile the document's tokens.
/// The folder appears whole or not at all.
/// </summary>
public static class TokenDatasetBuilder
{
    public static TokenDatasetMeta Build(IEnumerable<Document> documents, Tokenizer tokenizer, string directory, DatasetBuildOptions options, Action<long>? onBytes = null)
    {
        var temp = directory.TrimEnd('/') + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(temp);
        try
        {
            int bytesPerToken = TokenFile.BytesPerTokenFor(tokenizer.VocabSize);
            var sources = new List<string>();
            var perSource = new Dictionary<string, (SplitCounts Train, SplitCounts Validation)>();
            TokenDatasetMeta meta;
            using (var train = new SplitWriter(temp, TokenDataset.TrainSplit, bytesPerToken, tokenizer.EndOfTextId))
            using (var validation = new SplitWriter(temp, TokenDataset.ValidationSplit, bytesPerToken, tokenizer.EndOfTextId))
            {
                foreach (var document in documents)
                {
                    if (string.IsNullOrWhiteSpace(document.Text)) continue;
                    var segments = Tokenize(document.Text, tokenizer, options.Segmenter);
                    if (segments.Count == 0) continue;
                    int source = sources.IndexOf(document.Source);
                    if (source < 0) { source = sources.Count; sources.Add(document.Source); perSource[document.Source] = (new(), new()); }
                    bool heldOut = DocumentSplit.IsHeldOut(document.Text, options.HeldOutFraction);
                    var writer = heldOut ? validation : train;
                    writer.AddDocument(source, document.Text.Length, segments);
                    var added = new SplitCounts { Tokens = segments.Sum(s => s.Tokens.Count) + 1, Documents = 1, Segments = segments.Count };
                    var (t, v) = perSource[document.Source];
                    perSource[document.Source] = heldOut ? (t, Add(v, added)) : (Add(t, added), v);
                    onBytes?.Invoke(System.Text.Encoding.UTF8.GetByteCount(document.Text));
                }
                meta = new TokenDatasetMeta
                {
                    VocabSize = tokenizer.VocabSize, EndOfTextId = tokenizer.EndOfTextId, BytesPerToken = bytesPerToken,
                    Segmentation = options.SegmentationName, Train = train.Counts, Validation = validation.Counts,
                    Sources = sources.Select(s => new SourceInfo
                    {
                        Name = s, Weight = options.SourceWeights.GetValueOrDefault(s, 1.0), Train = perSource[s].Train, Validation = perSource[s].Validation,
                    }).ToArray(),
                };
            }
            if (meta.Train.Documents == 0) throw new InvalidDataException("no usable documents: the training split is empty.");
            if (meta.Validation.Documents == 0) throw new InvalidDataException("the held-out split is empty: add documents or raise the held-out fraction.");
            var unknown = options.SourceWeights.Keys.Except(sources).ToArray();
            if (unknown.Length > 0) throw new ArgumentException($"source weights name sources that have no documents: {string.Join(", ", unknown)} (sources: {string.Join(", ", sources)}).");
            tokenizer.Save(Path.Combine(temp, TokenDataset.TokenizerFileName));
            IO.AtomicFile.WriteAllText(Path.Combine(temp, TokenDataset.MetaFileName), JsonSerializer.Serialize(meta, new JsonSerializerOptions { WriteIndented = true }));
            IO.AtomicFile.ReplaceDirectory(temp, directory);
            return meta;
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    private static SplitCounts Add(SplitCounts a, SplitCounts b) =>
        new() { Tokens = a.Tokens + b.Tokens, Documents = a.Documents + b.Documents, Segments = a.Segments + b.Segments };

    /// <summary>Segments with their tokens; each segment's tokens start right after the previous segment's text.</summary>
    internal static IReadOnlyList<TokenizedSegment> Tokenize(string text, Tokenizer tokenizer, Func<string, IReadOnlyList<(int Start, int End)>>? segmenter)
    {
        var ranges = segmenter?.Invoke(text) ?? WholeDocument(text);
        var result = new List<TokenizedSegment>(ranges.Count);
        int previousEnd = 0;
        foreach (var (start, end) in ranges)
        {
            result.Add(new TokenizedSegment(tokenizer.Encode(text[previousEnd..end]), start, end - start));
            previousEnd = end;
        }
        return result;
    }

    private static IReadOnlyList<(int, int)> WholeDocument(string text)
    {
        int start = 0, end = text.Length;
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        return end > start ? [(start, end)] : [];
    }
}
