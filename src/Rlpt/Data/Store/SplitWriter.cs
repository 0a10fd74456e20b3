namespace Rlpt.Data.Store;

/// <summary>
/// Writes one split of a dataset: the packed token file ({split}.bin, documents separated by end-of-text), the
/// document index ({split}.docs.bin) and the segment index ({split}.segments.bin).
/// </summary>
public sealed class SplitWriter : IDisposable
{
    private readonly BinaryWriter tokens;
    private readonly BinaryWriter documents;
    private readonly BinaryWriter segments;
    private readonly int bytesPerToken;
    private readonly int separatorId;

    public long Tokens { get; private set; }
    public long Documents { get; private set; }
    public long Segments { get; private set; }

    public SplitCounts Counts => new() { Tokens = Tokens, Documents = Documents, Segments = Segments };

    public SplitWriter(string directory, string split, int bytesPerToken, int separatorId)
    {
        static BinaryWriter Open(string path) => new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20));
        tokens = Open(Path.Combine(directory, TokenDataset.TokenFileName(split)));
        documents = Open(Path.Combine(directory, TokenDataset.DocumentIndexFileName(split)));
        segments = Open(Path.Combine(directory, TokenDataset.SegmentIndexFileName(split)));
        this.bytesPerToken = bytesPerToken;
        this.separatorId = separatorId;
    }

    /// <param name="segmentTokens">Each segment's tokens with its character range in the document's text.</param>
    public void AddDocument(int sourceIndex, int charCount, IReadOnlyList<TokenizedSegment> segmentTokens)
    {
        long documentStart = Tokens;
        foreach (var segment in segmentTokens)
        {
            RecordFile<SegmentEntry>.Append(segments, new SegmentEntry(Tokens, segment.Tokens.Count, segment.CharStart, segment.CharLength));
            foreach (var id in segment.Tokens) Write(id);
        }
        RecordFile<DocumentEntry>.Append(documents, new DocumentEntry(documentStart, (int)(Tokens - documentStart), Segments, segmentTokens.Count, sourceIndex, charCount));
        Segments += segmentTokens.Count;
        Write(separatorId);
        Documents++;
    }

    private void Write(int token)
    {
        if (bytesPerToken == 2) tokens.Write((ushort)token); else tokens.Write((uint)token);
        Tokens++;
    }

    public void Dispose()
    {
        foreach (var writer in new[] { tokens, documents, segments })
        {
            writer.Flush();
            ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
            writer.Dispose();
        }
    }
}

/// <summary>A segment's tokens (including the whitespace before it) and its character range in the document.</summary>
public sealed record TokenizedSegment(IReadOnlyList<int> Tokens, int CharStart, int CharLength);
