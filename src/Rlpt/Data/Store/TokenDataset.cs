using System.Text.Json;
using Rlpt.Tokenization;

namespace Rlpt.Data.Store;

/// <summary>
/// A tokenized corpus on disk, read through memory maps: <c>meta.json</c>, <c>tokenizer.json</c>, and per split
/// (train, val) a packed token file plus document and segment indexes. Pretraining reads the token stream; RL
/// tasks read documents segment by segment without re-tokenizing.
/// </summary>
public sealed class TokenDataset : IDisposable
{
    public const string MetaFileName = "meta.json";
    public const string TokenizerFileName = "tokenizer.json";
    public const string TrainSplit = "train";
    public const string ValidationSplit = "val";

    public static string TokenFileName(string split) => split + ".bin";
    public static string DocumentIndexFileName(string split) => split + ".docs.bin";
    public static string SegmentIndexFileName(string split) => split + ".segments.bin";

    public string Directory { get; }
    public TokenDatasetMeta Meta { get; }
    public DatasetSplit Train { get; }
    public DatasetSplit Validation { get; }

    private TokenDataset(string directory, TokenDatasetMeta meta, DatasetSplit train, DatasetSplit validation)
    {
        Directory = directory;
        Meta = meta;
        Train = train;
        Validation = validation;
    }

    public static TokenDataset Open(string directory)
    {
        var metaPath = Path.Combine(directory, MetaFileName);
        if (!File.Exists(metaPath)) throw new FileNotFoundException($"not a token dataset (no {MetaFileName}): {directory}", metaPath);
        TokenDatasetMeta? meta;
        try { meta = JsonSerializer.Deserialize<TokenDatasetMeta>(File.ReadAllText(metaPath)); }
        catch (JsonException e) { throw new InvalidDataException($"{metaPath}: invalid JSON ({e.Message})", e); }
        if (meta is null || meta.Format != TokenDatasetMeta.FormatName)
            throw new InvalidDataException($"{metaPath}: not an Rlpt token dataset (format '{meta?.Format}').");
        if (meta.Version != TokenDatasetMeta.CurrentVersion)
            throw new InvalidDataException($"{metaPath}: dataset version {meta.Version} is not supported (expected {TokenDatasetMeta.CurrentVersion}); re-import it.");
        CheckMeta(meta, metaPath);
        var train = DatasetSplit.Open(directory, TrainSplit, meta, meta.Train);
        try
        {
            return new TokenDataset(directory, meta, train, DatasetSplit.Open(directory, ValidationSplit, meta, meta.Validation));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>The fields a damaged or hand-edited meta.json could make absurd, checked before any file is mapped.</summary>
    private static void CheckMeta(TokenDatasetMeta meta, string path)
    {
        void Require(bool condition, string problem)
        {
            if (!condition) throw new InvalidDataException($"{path}: {problem}; re-import the dataset.");
        }
        Require(meta.VocabSize is > 0 and <= TokenizerJson.MaxTokenId, $"vocab_size {meta.VocabSize} is out of range");
        Require(meta.BytesPerToken == TokenFile.BytesPerTokenFor(meta.VocabSize) || meta.BytesPerToken == 4, $"bytes_per_token {meta.BytesPerToken} cannot hold {meta.VocabSize} token ids");
        Require(meta.EndOfTextId >= 0 && meta.EndOfTextId < meta.VocabSize, $"end_of_text_id {meta.EndOfTextId} is outside the vocabulary");
        Require(meta.Sources.Count > 0, "it names no source");
        Require(meta.Sources.All(s => double.IsFinite(s.Weight) && s.Weight >= 0), "a source weight is negative or not a number");
        foreach (var (name, counts) in new[] { ("train", meta.Train), ("val", meta.Validation) })
            Require(counts.Tokens >= 0 && counts.Documents >= 0 && counts.Segments >= 0, $"{name} has a negative count");
    }

    public Tokenizer LoadTokenizer()
    {
        var path = Path.Combine(Directory, TokenizerFileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"dataset has no {TokenizerFileName}: {Directory}", path);
        return Tokenizer.Load(path);
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }
}

/// <summary>One split's token stream and indexes.</summary>
public sealed class DatasetSplit : IDisposable
{
    public TokenFile Tokens { get; }
    public RecordFile<DocumentEntry> Documents { get; }
    public RecordFile<SegmentEntry> Segments { get; }

    private DatasetSplit(TokenFile tokens, RecordFile<DocumentEntry> documents, RecordFile<SegmentEntry> segments)
    {
        Tokens = tokens;
        Documents = documents;
        Segments = segments;
    }

    internal static DatasetSplit Open(string directory, string split, TokenDatasetMeta meta, SplitCounts expected)
    {
        var opened = new DatasetSplit(
            new TokenFile(Path.Combine(directory, TokenDataset.TokenFileName(split)), meta.BytesPerToken, meta.VocabSize),
            new RecordFile<DocumentEntry>(Path.Combine(directory, TokenDataset.DocumentIndexFileName(split))),
            new RecordFile<SegmentEntry>(Path.Combine(directory, TokenDataset.SegmentIndexFileName(split))));
        try
        {
            opened.Check(directory, split, expected, meta.Sources.Count);
            return opened;
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The files agree with meta.json and every index entry lies inside them, so a damaged index is refused here
    /// rather than failing mid-training (one pass over the indexes; token ids are checked as they are read).
    /// </summary>
    private void Check(string directory, string split, SplitCounts expected, int sources)
    {
        if (Tokens.Count != expected.Tokens || Documents.Count != expected.Documents || Segments.Count != expected.Segments)
            throw new InvalidDataException($"{directory}: {split} files do not match {TokenDataset.MetaFileName} " +
                $"(tokens {Tokens.Count}/{expected.Tokens}, documents {Documents.Count}/{expected.Documents}, segments {Segments.Count}/{expected.Segments}).");
        void Require(bool condition, string what, long index)
        {
            if (!condition) throw new InvalidDataException($"{directory}: {split} {what} {index} points outside the split's files (a damaged index); re-import the dataset.");
        }
        for (long i = 0; i < Documents.Count; i++)
        {
            var d = Documents[i];
            Require(d.TokenStart >= 0 && d.TokenCount >= 0 && d.TokenStart + d.TokenCount <= Tokens.Count, "document", i);
            Require(d.SegmentStart >= 0 && d.SegmentCount >= 0 && d.SegmentStart + d.SegmentCount <= Segments.Count, "document", i);
            Require(d.SourceIndex >= 0 && d.SourceIndex < sources && d.CharCount >= 0, "document", i);
        }
        for (long i = 0; i < Segments.Count; i++)
        {
            var s = Segments[i];
            Require(s.TokenStart >= 0 && s.TokenCount >= 0 && s.TokenStart + s.TokenCount <= Tokens.Count && s.CharStart >= 0 && s.CharLength >= 0, "segment", i);
        }
    }

    /// <summary>Token ids of a range of the split's stream.</summary>
    public int[] ReadTokens(long start, int count)
    {
        var buffer = new long[count];
        Tokens.Read(start, buffer);
        return Array.ConvertAll(buffer, t => (int)t);
    }

    public void Dispose()
    {
        Tokens.Dispose();
        Documents.Dispose();
        Segments.Dispose();
    }
}
