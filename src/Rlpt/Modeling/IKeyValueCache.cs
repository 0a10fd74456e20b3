using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>
/// Keys and values of earlier positions that a forward pass attends to: <see cref="KvCache"/> for incremental decoding,
/// <see cref="SharedPrefix"/> for training many completions on one prompt forwarded once.
/// </summary>
public interface IKeyValueCache
{
    /// <summary>Positions already held; the next forward's tokens start at this position.</summary>
    int Length { get; }

    /// <summary>Takes a layer's new keys/values [batch, kv_heads, steps, head_dim] and returns all it attends to.</summary>
    (Tensor Keys, Tensor Values) Append(int layer, Tensor newKeys, Tensor newValues);

    /// <summary>Called once per forward, after every layer has appended.</summary>
    void Advance(int steps);
}
