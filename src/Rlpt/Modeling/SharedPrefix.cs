using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>
/// One prompt's keys and values, kept in the autograd graph, for the G completions that follow it (the maths of Prefix
/// Grouper, arXiv 2506.05433). The first forward (the prompt, batch 1) records every layer's keys and values; each later
/// forward (completions, batch G, positions from the prompt's length) attends to [prompt; its own] keys and values,
/// causally within itself, and is not recorded. The prompt is computed once, and since its keys and values are
/// broadcast to the G rows, backward sums the G completions' gradients into it: the same gradients as forwarding the
/// prompt G times.
/// </summary>
public sealed class SharedPrefix(int layers) : IKeyValueCache, IDisposable
{
    private readonly Tensor?[] keys = new Tensor?[layers];
    private readonly Tensor?[] values = new Tensor?[layers];
    private bool recorded;

    public int Length { get; private set; }

    public (Tensor Keys, Tensor Values) Append(int layer, Tensor newKeys, Tensor newValues)
    {
        if (!recorded)
        {
            if (newKeys.shape[0] != 1) throw new ArgumentException("the shared prefix is one prompt: forward it with batch size 1.");
            // Owned here until disposal: the attention's dispose scope would free them before the completions read them.
            keys[layer] = newKeys.alias().DetachFromDisposeScope();
            values[layer] = newValues.alias().DetachFromDisposeScope();
            return (newKeys, newValues);
        }
        long rows = newKeys.shape[0];
        var prefixKeys = keys[layer]!.expand(rows, -1, -1, -1);
        var prefixValues = values[layer]!.expand(rows, -1, -1, -1);
        return (cat([prefixKeys, newKeys], 2), cat([prefixValues, newValues], 2));
    }

    public void Advance(int steps)
    {
        if (recorded) return;
        Length = steps;
        recorded = true;
    }

    public void Dispose()
    {
        foreach (var t in keys) t?.Dispose();
        foreach (var t in values) t?.Dispose();
    }
}
