using Rlpt.Data.Store;

namespace Rlpt.Training.Pretraining;

/// <summary>
/// Cuts a split's packed token stream into windows of sequence_length + 1 tokens (stride sequence_length) and
/// serves them in a seeded random order, redrawn every epoch. With per-source weights (mixing), each draw picks
/// a source with probability ∝ weight × its windows, then that source's next window (its own shuffled cycle).
/// The whole state is (epoch, index): the order of an epoch is a pure function of (seed, epoch), so a checkpoint
/// that stores those two numbers resumes on exactly the next batch.
/// </summary>
public sealed class PackedBatchSampler
{
    private readonly TokenFile tokens;
    private readonly int sequenceLength;
    private readonly int seed;
    private readonly int[]? windowSource;
    private readonly double[]? sourceWeights;
    private int[] order;

    public int Epoch { get; private set; }
    public int Index { get; private set; }
    public int WindowCount { get; }

    /// <param name="sourceWeights">Mixing weight per source index (meta.json's sources); null or all equal = plain shuffle.</param>
    public PackedBatchSampler(DatasetSplit split, int sequenceLength, int seed, IReadOnlyList<double>? sourceWeights = null, int epoch = 0, int index = 0)
    {
        tokens = split.Tokens;
        this.sequenceLength = sequenceLength;
        this.seed = seed;
        WindowCount = (int)Math.Min(int.MaxValue, (tokens.Count - 1) / sequenceLength);
        if (WindowCount < 1)
            throw new InvalidDataException($"{tokens.Path}: {tokens.Count} tokens cannot fill one sequence of {sequenceLength} + 1.");
        if (sourceWeights is { Count: > 1 } && sourceWeights.Distinct().Count() > 1)
        {
            if (sourceWeights.Any(w => w < 0 || !double.IsFinite(w)) || sourceWeights.All(w => w == 0))
                throw new ArgumentException("source weights must be finite, non-negative and not all zero.");
            this.sourceWeights = sourceWeights.ToArray();
            windowSource = WindowSources(split, sequenceLength, WindowCount);
        }
        Seek(epoch, index);
    }

    /// <summary>Continues at window <paramref name="index"/> of epoch <paramref name="epoch"/> (a resumed run's position).</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(order))]
    public void Seek(int epoch, int index)
    {
        if (epoch < 0 || index < 0 || index > WindowCount) throw new InvalidDataException($"data position (epoch {epoch}, window {index}) is outside this dataset's {WindowCount} windows.");
        Epoch = epoch;
        Index = index;
        order = Order(epoch);
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
                order = Order(Epoch);
            }
            tokens.Read((long)order[Index++] * sequenceLength, buffer.AsSpan(row * width, width));
        }
    }

    private int[] Order(int epoch)
    {
        // Not HashCode.Combine: it is salted per process, and the order must be the same in every run.
        var random = new Random(unchecked(seed * 1_000_003 + epoch) & int.MaxValue);
        if (windowSource is null)
        {
            var permutation = Enumerable.Range(0, WindowCount).ToArray();
            random.Shuffle(permutation);
            return permutation;
        }
        var bySource = Enumerable.Range(0, sourceWeights!.Length)
            .Select(s => Enumerable.Range(0, WindowCount).Where(w => windowSource[w] == s).ToArray())
            .ToArray();
        foreach (var windows in bySource) random.Shuffle(windows);
        var mass = bySource.Select((windows, s) => windows.Length * sourceWeights[s]).ToArray();
        double total = mass.Sum();
        var next = new int[bySource.Length];
        var result = new int[WindowCount];
        for (int i = 0; i < result.Length; i++)
        {
            double draw = random.NextDouble() * total;
            int s = 0;
            while (s < mass.Length - 1 && (draw >= mass[s] || mass[s] == 0)) { draw -= mass[s]; s++; }
            if (next[s] == bySource[s].Length) { random.Shuffle(bySource[s]); next[s] = 0; }
            result[i] = bySource[s][next[s]++];
        }
        return result;
    }

    /// <summary>The source of the document in which each window starts.</summary>
    private static int[] WindowSources(DatasetSplit split, int sequenceLength, int windowCount)
    {
        var sources = new int[windowCount];
        long document = 0;
        for (int w = 0; w < windowCount; w++)
        {
            long start = (long)w * sequenceLength;
            // Windows advance monotonically, so walk the documents instead of searching for each window.
            while (document + 1 < split.Documents.Count && split.Documents[document + 1].TokenStart <= start) document++;
            sources[w] = split.Documents[document].SourceIndex;
        }
        return sources;
    }
}
