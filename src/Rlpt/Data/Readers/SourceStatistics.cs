namespace Rlpt.Data.Readers;

/// <summary>What one source contributed: documents and their text's UTF-8 bytes.</summary>
public sealed class SourceStatistics
{
    public long Documents { get; internal set; }
    public long Bytes { get; internal set; }
}
