using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>
/// Pre-allocated key/value cache for incremental decoding: one [row capacity, kv_heads, capacity, head_dim] buffer
/// pair per layer, filled left to right. The first <see cref="BatchSize"/> rows are in use; rows can be added into
/// the free ones and dropped in place, so a running batch changes its rows without reallocating (continuous
/// batching). <see cref="Length"/> advances once per forward step, after every layer has appended.
/// </summary>
public sealed class KvCache : IKeyValueCache, IDisposable
{
    private readonly Tensor[] keys;
    private readonly Tensor[] values;

    public int Capacity { get; }
    public int Length { get; private set; }
    /// <summary>Rows in use (the batch the next forward pass runs).</summary>
    public long BatchSize { get; private set; }
    /// <summary>Rows the buffers hold.</summary>
    public long RowCapacity => keys[0].shape[0];

    /// <param name="rowCapacity">Rows to allocate, at least <paramref name="batchSize"/>; more leaves room for rows to join.</param>
    public KvCache(ModelConfig config, long batchSize, int capacity, Device device, ScalarType dtype, long? rowCapacity = null)
    {
        Capacity = capacity;
        BatchSize = batchSize;
        long rows = Math.Max(batchSize, rowCapacity ?? batchSize);
        keys = new Tensor[config.NumHiddenLayers];
        values = new Tensor[config.NumHiddenLayers];
        for (int i = 0; i < keys.Length; i++)
        {
            // Owned by the cache (disposed with it), not by whatever dispose scope is open at construction.
            keys[i] = zeros([rows, config.KeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
            values[i] = zeros([rows, config.KeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
        }
    }

    private KvCache(Tensor[] keys, Tensor[] values, int capacity, int length, long batchSize)
    {
        this.keys = keys;
        this.values = values;
        Capacity = capacity;
        Length = length;
        BatchSize = batchSize;
    }

    /// <summary>Writes this step's keys/values for a layer and returns views over everything cached so far.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor newKeys, Tensor newValues)
    {
        long steps = newKeys.shape[2];
        if (Length + steps > Capacity)
            throw new InvalidOperationException($"KV cache overflow: {Length} + {steps} > capacity {Capacity}.");
        using var usedKeys = keys[layer].narrow(0, 0, BatchSize);
        using var usedValues = values[layer].narrow(0, 0, BatchSize);
        using (var k = usedKeys.narrow(2, Length, steps)) k.copy_(newKeys);
        using (var v = usedValues.narrow(2, Length, steps)) v.copy_(newValues);
        return (usedKeys.narrow(2, 0, Length + steps), usedValues.narrow(2, 0, Length + steps));
    }

    public void Advance(int steps) => Length += steps;

    /// <summary>A layer's whole key buffer [row capacity, kv_heads, capacity, head_dim] (the decoding kernel writes into it).</summary>
    internal Tensor Keys(int layer) => keys[layer];

    /// <summary>A layer's whole value buffer, laid out as <see cref="Keys"/>.</summary>
    internal Tensor Values(int layer) => values[layer];

    /// <summary>A new cache of only the given rows (e.g. a prompt's row copied to its G samples).</summary>
    public KvCache Select(Tensor rows)
    {
        var k = keys.Select(t => t.narrow(0, 0, BatchSize).index_select(0, rows).DetachFromDisposeScope()).ToArray();
        var v = values.Select(t => t.narrow(0, 0, BatchSize).index_select(0, rows).DetachFromDisposeScope()).ToArray();
        return new KvCache(k, v, Capacity, Length, rows.shape[0]);
    }

    /// <summary>Keeps only the given rows, in place (finished sequences stop costing compute; no reallocation).</summary>
    public void KeepRows(Tensor rows)
    {
        foreach (var buffer in keys.Concat(values))
        {
            using var scope = NewDisposeScope();
            var kept = buffer.narrow(0, 0, BatchSize).index_select(0, rows);
            buffer.narrow(0, 0, rows.shape[0]).copy_(kept);
        }
        BatchSize = rows.shape[0];
    }

    /// <summary>Copies <paramref name="other"/>'s rows (same positions) into this cache's free rows, after its own.</summary>
    public void AppendRows(KvCache other)
    {
        if (other.Length != Length || other.Capacity != Capacity)
            throw new ArgumentException($"caches of {Length}/{Capacity} and {other.Length}/{other.Capacity} positions cannot be joined.");
        if (BatchSize + other.BatchSize > RowCapacity)
            throw new ArgumentException($"{BatchSize} + {other.BatchSize} rows exceed the cache's {RowCapacity}.");
        for (int i = 0; i < keys.Length; i++)
        {
            using var scope = NewDisposeScope();
            keys[i].narrow(0, BatchSize, other.BatchSize).copy_(other.keys[i].narrow(0, 0, other.BatchSize));
            values[i].narrow(0, BatchSize, other.BatchSize).copy_(other.values[i].narrow(0, 0, other.BatchSize));
        }
        BatchSize += other.BatchSize;
    }

    /// <summary>
    /// A copy in buffers of <paramref name="capacity"/> positions (and <paramref name="rowCapacity"/> rows) where cached
    /// position t moves to t + <paramref name="shift"/>: a positive shift opens left padding (so longer prompts can join
    /// a running batch), a negative one drops leading positions that every row holds as padding. Rotary positions come
    /// from the padding mask, so neither changes them.
    /// </summary>
    public KvCache Realigned(int shift, int capacity, long? rowCapacity = null)
    {
        int kept = Length + Math.Min(shift, 0);
        int length = kept + Math.Max(shift, 0);
        long rows = Math.Max(BatchSize, rowCapacity ?? RowCapacity);
        if (kept < 0 || length > capacity) throw new ArgumentException($"cannot shift {Length} cached positions by {shift} into a capacity of {capacity}.");
        Tensor Move(Tensor t)
        {
            using var scope = NewDisposeScope();
            var moved = zeros([rows, t.shape[1], capacity, t.shape[3]], t.dtype, t.device).DetachFromDisposeScope();
            moved.narrow(0, 0, BatchSize).narrow(2, Math.Max(shift, 0), kept).copy_(t.narrow(0, 0, BatchSize).narrow(2, Math.Max(-shift, 0), kept));
            return moved;
        }
        return new KvCache(keys.Select(Move).ToArray(), values.Select(Move).ToArray(), capacity, length, BatchSize);
    }

    public void Dispose()
    {
        foreach (var t in keys) t.Dispose();
        foreach (var t in values) t.Dispose();
    }
}
