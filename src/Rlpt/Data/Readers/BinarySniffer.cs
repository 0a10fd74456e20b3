namespace Rlpt.Data.Readers;

/// <summary>
/// Tells binary files from text by their first 8 KB, like git and grep do: any NUL byte, or more than 10% control
/// bytes other than tab, line feed, carriage return and form feed, means binary. Bytes ≥ 0x80 do not count, so
/// text in any 8-bit encoding still passes (and gets its invalid UTF-8 repaired).
/// </summary>
internal static class BinarySniffer
{
    public const int SampleBytes = 8192;

    public static bool LooksBinary(ReadOnlySpan<byte> start)
    {
        var sample = start[..Math.Min(start.Length, SampleBytes)];
        if (sample.Contains((byte)0)) return true;
        var controls = 0;
        foreach (var b in sample)
            if ((b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f')) || b == 0x7F) controls++;
        return controls > sample.Length / 10;
    }
}
