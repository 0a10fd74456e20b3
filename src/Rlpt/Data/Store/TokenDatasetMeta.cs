using System.Text.Json.Serialization;

namespace Rlpt.Data.Store;

/// <summary>meta.json of a token dataset.</summary>
public sealed record TokenDatasetMeta
{
    public const string FormatName = "rlpt-tokens";
    public const int CurrentVersion = 2;

    [JsonPropertyName("format")] public string Format { get; init; } = FormatName;
    [JsonPropertyName("version")] public int Version { get; init; } = CurrentVersion;
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("end_of_text_id")] public int EndOfTextId { get; init; }
    [JsonPropertyName("bytes_per_token")] public int BytesPerToken { get; init; }
    /// <summary>How documents were cut into segments (e.g. "sentence", "document").</summary>
    [JsonPropertyName("segmentation")] public string Segmentation { get; init; } = "document";
    [JsonPropertyName("train")] public SplitCounts Train { get; init; } = new();
    [JsonPropertyName("val")] public SplitCounts Validation { get; init; } = new();
    /// <summary>Document sources in index order (DocumentEntry.SourceIndex), with their mixing weights.</summary>
    [JsonPropertyName("sources")] public IReadOnlyList<SourceInfo> Sources { get; init; } = [];
}

public sealed record SplitCounts
{
    [JsonPropertyName("tokens")] public long Tokens { get; init; }
    [JsonPropertyName("documents")] public long Documents { get; init; }
    [JsonPropertyName("segments")] public long Segments { get; init; }
}

public sealed record SourceInfo
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    /// <summary>Relative sampling weight per token of this source (1 = as in the corpus).</summary>
    [JsonPropertyName("weight")] public double Weight { get; init; } = 1.0;
    [JsonPropertyName("train")] public SplitCounts Train { get; init; } = new();
    [JsonPropertyName("val")] public SplitCounts Validation { get; init; } = new();
}
