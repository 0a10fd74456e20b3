using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>
/// Pre-allocated key/value cache for incremental decoding: one [batch, kv_heads, capacity, head_dim] buffer pair per
/// layer, filled left to right. <see cref="Length"/> advances once per forward step, after every layer has appended.
/// </summary>
public sealed class KvCache : IKeyValueCache, IDisposable
{
    private readonly Tensor[] keys;
    private readonly Tensor[] values;

    public int Capacity { get; }
    public int Length { get; private set; }
    public long BatchSize => keys[0].shape[0];

    public KvCache(ModelConfig config, long batchSize, int capacity, Device device, ScalarType dtype)
    {
        Capacity = capacity;
        keys = new Tensor[config.NumHiddenLayers];
        values = new Tensor[config.NumHiddenLayers];
        for (int i = 0; i < keys.Length; i++)
        {
            // Owned by the cache (disposed with it), not by whatever dispose scope is open at construction.
            keys[i] = zeros([batchSize, config.KeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
            values[i] = zeros([batchSize, config.KeyValueHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
        }
    }

    private KvCache(Tensor[] keys, Tensor[] values, int capacity, int length)
    {
        this.keys = keys;
        this.values = values;
        Capacity = capacity;
        Length = length;
    }

    /// <summary>Writes this step's keys/values for a layer and returns views over everything cached so far.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor newKeys, Tensor newValues)
    {
        long steps = newKeys.shape[2];
        if (Length + steps > Capacity)
            throw new InvalidOperationException($"KV cache overflow: {Length} + {steps} > capacity {Capacity}.");
        using (var k = keys[layer].narrow(2, Length, steps)) k.copy_(newKeys);
        using (var v = values[layer].narrow(2, Length, steps)) v.copy_(newValues);
        return (keys[layer].narrow(2, 0, Length + steps), values[layer].narrow(2, 0, Length + steps));
    }

    public void Advance(int steps) => Length += steps;

    /// <summary>Keeps only the given batch rows (finished sequences stop costing compute).</summary>
    public KvCache Select(Tensor rows)
    {
        var k = keys.Select(t => t.index_select(0, rows).DetachFromDisposeScope()).ToArray();
        var v = values.Select(t => t.index_select(0, rows).DetachFromDisposeScope()).ToArray();
        return new KvCache(k, v, Capacity, Length);
    }

    public void Dispose()
    {
        foreach (var t in keys) t.Dispose();
        foreach (var t in values) t.Dispose();
    }
}
