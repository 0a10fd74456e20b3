using System.Text.Json;
using System.Text.Json.Serialization;
using Rlpt.Tokenization;

namespace Rlpt.Data;

/// <summary>
/// A tokenized corpus on disk: <c>meta.json</c> plus one token file per split (train, val), documents packed
/// back to back with end-of-text separators. Written by <see cref="TokenDatasetBuilder"/>; read by trainers.
/// </summary>
public sealed class TokenDataset : IDisposable
{
    public const string MetaFileName = "meta.json";
    public const string TokenizerFileName = "tokenizer.json";

    public string Directory { get; }
    public TokenDatasetMeta Meta { get; }
    public TokenFile Train { get; }
    public TokenFile Validation { get; }

    private TokenDataset(string directory, TokenDatasetMeta meta, TokenFile train, TokenFile validation)
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
        var train = new TokenFile(Path.Combine(directory, meta.TrainFile), meta.BytesPerToken);
        var validation = new TokenFile(Path.Combine(directory, meta.ValidationFile), meta.BytesPerToken);
        if (train.Count != meta.TrainTokens || validation.Count != meta.ValidationTokens)
            throw new InvalidDataException($"{directory}: token files do not match {MetaFileName} (train {train.Count} vs {meta.TrainTokens}, val {validation.Count} vs {meta.ValidationTokens}).");
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

public sealed record TokenDatasetMeta
{
    public const string FormatName = "rlpt-tokens";
    [JsonPropertyName("format")] public string Format { get; init; } = FormatName;
    [JsonPropertyName("version")] public int Version { get; init; } = 1;
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("end_of_text_id")] public int EndOfTextId { get; init; }
    [JsonPropertyName("bytes_per_token")] public int BytesPerToken { get; init; }
    [JsonPropertyName("train_file")] public string TrainFile { get; init; } = "train.bin";
    [JsonPropertyName("val_file")] public string ValidationFile { get; init; } = "val.bin";
    [JsonPropertyName("train_tokens")] public long TrainTokens { get; init; }
    [JsonPropertyName("val_tokens")] public long ValidationTokens { get; init; }
    [JsonPropertyName("train_documents")] public long TrainDocuments { get; init; }
    [JsonPropertyName("val_documents")] public long ValidationDocuments { get; init; }
}
