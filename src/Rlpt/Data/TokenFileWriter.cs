namespace Rlpt.Data;

/// <summary>Appends documents to a token file, each followed by the end-of-text separator (document packing).</summary>
public sealed class TokenFileWriter : IDisposable
{
    private readonly FileStream stream;
    private readonly BinaryWriter writer;
    private readonly int bytesPerToken;
    private readonly int separatorId;

    public long Tokens { get; private set; }
    public long Documents { get; private set; }

    public TokenFileWriter(string path, int bytesPerToken, int separatorId)
    {
        stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        writer = new BinaryWriter(stream);
        this.bytesPerToken = bytesPerToken;
        this.separatorId = separatorId;
    }

    public void AddDocument(IReadOnlyList<int> tokens)
    {
        foreach (var t in tokens) Write(t);
        Write(separatorId);
        Documents++;
    }

    private void Write(int token)
    {
        if (bytesPerToken == 2) writer.Write((ushort)token); else writer.Write((uint)token);
        Tokens++;
    }

    public void Dispose()
    {
        writer.Flush();
        stream.Flush(flushToDisk: true);
        writer.Dispose();
    }
}
