namespace Rlpt.Objectives;

/// <summary>
/// A SplitMix64 stream keyed by (seed, stream): every draw of a sampler gets its own stream, so the n-th example
/// is a pure function of (seed, n) and a sampler's whole state is the number of examples it has drawn.
/// </summary>
internal struct CounterRandom
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private ulong state;

    public CounterRandom(long seed, long stream) =>
        state = Mix(unchecked((ulong)seed * Gamma) ^ Mix(unchecked((ulong)stream + 0x632BE59BD9B4E019UL)));

    public ulong NextUInt64()
    {
        state = unchecked(state + Gamma);
        return Mix(state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, bound) by multiply-high, which avoids the bias of a modulo.</summary>
    public long Next(long bound) => (long)Math.BigMul(NextUInt64(), (ulong)bound, out _);

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
