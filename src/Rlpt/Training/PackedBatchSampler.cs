using Rlpt.Data;
using Rlpt.Data.Store;

namespace Rlpt.Training;

/// <summary>
/// Cuts a packed token stream into windows of sequence_length + 1 tokens (stride sequence_length) and serves
/// them in a seeded random order, reshuffled every epoch. Its whole state is (epoch, index), so a checkpoint
/// that stores those two numbers resumes on exactly the next batch.
/// </summary>
public sealed class PackedBatchSampler
{
    private readonly TokenFile tokens;
    private readonly int sequenceLength;
    private readonly int seed;
    private int[] order;

    public int Epoch { get; private set; }
    public int Index { get; private set; }
    public int WindowCount { get; }

    public PackedBatchSampler(TokenFile tokens, int sequenceLength, int seed, int epoch = 0, int index = 0)
    {
        this.tokens = tokens;
        this.sequenceLength = sequenceLength;
        this.seed = seed;
        WindowCount = (int)Math.Min(int.MaxValue, (tokens.Count - 1) / sequenceLength);
        if (WindowCount < 1)
            throw new InvalidDataException($"{tokens.Path}: {tokens.Count} tokens cannot fill one sequence of {sequenceLength} + 1.");
        Epoch = epoch;
        Index = index;
        order = Shuffle(epoch);
    }

    /// <summary>Fills <paramref name="buffer"/> ([batch, sequence_length + 1], row-major) with the next windows.</summary>
    public void Next(int batchSize, long[] buffer)
    {
        int width = sequenceLength + 1;
        for (int row = 0; row < batchSize; row++)
        {
            if (Index == WindowCount)
            {
                Epoch++;
                Index = 0;
                order = Shuffle(Epoch);
            }
            tokens.Read((long)order[Index++] * sequenceLength, buffer.AsSpan(row * width, width));
        }
    }

    private int[] Shuffle(int epoch)
    {
        var permutation = Enumerable.Range(0, WindowCount).ToArray();
        // Not HashCode.Combine: it is salted per process, and the order must be the same in every run.
        new Random(unchecked(seed * 1_000_003 + epoch) & int.MaxValue).Shuffle(permutation);
        return permutation;
    }
}
