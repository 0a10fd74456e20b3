namespace Rlpt.Data.Readers;

/// <summary>
/// Reads a stream as lines of raw bytes ('\n' separated, a trailing '\r' removed) in a reused buffer, so memory stays
/// at the longest line read; lines longer than a cap are skipped without being held in memory.
/// </summary>
internal sealed class LineReader(Stream stream, long maxLineBytes)
{
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _endOfStream;

    /// <summary>The first bytes of the stream (up to <paramref name="count"/>), without consuming them.</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        while (_end - _start < count && Fill()) { }
        return _buffer.AsSpan(_start, Math.Min(count, _end - _start));
    }

    /// <summary>The next line, valid until the next call; <paramref name="oversized"/> when it was skipped for its length.</summary>
    public bool TryRead(out ReadOnlyMemory<byte> line, out bool oversized)
    {
        oversized = false;
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Take(scanned + newline, 1);
                oversized |= line.Length > maxLineBytes;
                if (oversized) line = default;
                return true;
            }
            scanned = _end - _start;
            if (scanned > maxLineBytes)
            {
                // Too long: drop what we have and keep scanning for the line's end.
                oversized = true;
                _start = _end = scanned = 0;
            }
            if (!Fill())
            {
                line = Take(_end - _start, 0);
                if (oversized) line = default;
                return oversized || line.Length > 0;
            }
        }
    }

    private ReadOnlyMemory<byte> Take(int length, int separator)
    {
        var line = _buffer.AsMemory(_start, length);
        _start += length + separator;
        return line.Span.EndsWith((byte)'\r') ? line[..^1] : line;
    }

    private bool Fill()
    {
        if (_endOfStream) return false;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _endOfStream = true;
        _end += read;
        return read > 0;
    }
}
