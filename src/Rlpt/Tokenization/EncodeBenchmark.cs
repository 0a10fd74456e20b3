using System.Diagnostics;
using System.Text;

namespace Rlpt.Tokenization;

/// <summary>Encoding throughput, for the benchmark command.</summary>
public static class EncodeBenchmark
{
    /// <summary>MB/s (10^6 bytes of UTF-8 input per second) of encoding all texts, repeats times, after one warm-up pass.</summary>
    public static double MeasureEncodeMegabytesPerSecond(Tokenizer tok, IReadOnlyList<string> texts, int repeats)
    {
        ArgumentNullException.ThrowIfNull(tok);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        long bytes = texts.Sum(t => (long)Encoding.UTF8.GetByteCount(t));
        foreach (string text in texts)
            tok.Encode(text);
        var watch = Stopwatch.StartNew();
        for (int r = 0; r < repeats; r++)
        {
            foreach (string text in texts)
                tok.Encode(text);
        }
        return bytes * (double)repeats / 1e6 / watch.Elapsed.TotalSeconds;
    }
}
