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
        var train = DatasetSplit.Open(directory, TrainSplit, meta.BytesPerToken, meta.Train);
        var validation = DatasetSplit.Open(directory, ValidationSplit, meta.BytesPerToken, meta.Validation);
        return new TokenDataset(directory, meta, train, validation);
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

    internal static DatasetSplit Open(string directory, string split, int bytesPerToken, SplitCounts expected)
    {
        var tokens = new TokenFile(Path.Combine(directory, TokenDataset.TokenFileName(split)), bytesPerToken);
        var documents = new RecordFile<DocumentEntry>(Path.Combine(directory, TokenDataset.DocumentIndexFileName(split)));
        var segments = new RecordFile<SegmentEntry>(Path.Combine(directory, TokenDataset.SegmentIndexFileName(split)));
        if (tokens.Count != expected.Tokens || documents.Count != expected.Documents || segments.Count != expected.Segments)
            throw new InvalidDataException($"{directory}: {split} files do not match {TokenDataset.MetaFileName} " +
                $"(tokens {tokens.Count}/{expected.Tokens}, documents {documents.Count}/{expected.Documents}, segments {segments.Count}/{expected.Segments}).");
        return new DatasetSplit(tokens, documents, segments);
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
