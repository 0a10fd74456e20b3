namespace Rlpt.Generation;

/// <summary>
/// Per-request seeds derived from a key such as "seed/step/prompt/sample": stable across runs and machines and
/// independent of how requests are batched (trainer rollouts and evaluations both rely on this).
/// </summary>
public static class SamplingSeeds
{
    public static int Derive(string key) => (int)(Data.DocumentSplit.Fnv1a64(key) & int.MaxValue);
}
