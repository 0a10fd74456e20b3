using Rlpt.Data.Store;

namespace Rlpt.Training.Pretraining;

/// <summary>
/// A split's token stream cut into back-to-back windows of sequence_length + 1 tokens (stride sequence_length, so
/// each token is predicted once), taken in order from the start: a fixed, deterministic held-out set.
/// </summary>
public static class SequentialWindows
{
    /// <summary>How many windows the stream holds, at most <paramref name="max"/>.</summary>
    /// <exception cref="InvalidDataException">The stream is shorter than one window.</exception>
    public static long Count(TokenFile tokens, int sequenceLength, long max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        long windows = Math.Min((tokens.Count - 1) / sequenceLength, max);
        if (windows < 1) throw new InvalidDataException($"held-out split ({tokens.Count} tokens) is shorter than one sequence of {sequenceLength + 1}.");
        return windows;
    }

    /// <summary>Windows first..first+rows-1 as [rows, sequence_length + 1], row-major.</summary>
    public static long[] Read(TokenFile tokens, long first, int rows, int sequenceLength)
    {
        int width = sequenceLength + 1;
        var buffer = new long[rows * width];
        for (int r = 0; r < rows; r++)
            tokens.Read((first + r) * sequenceLength, buffer.AsSpan(r * width, width));
        return buffer;
    }
}
