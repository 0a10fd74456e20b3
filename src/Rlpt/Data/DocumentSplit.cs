using System.Text;

namespace Rlpt.Data;

/// <summary>
/// Deterministic train / held-out assignment by a hash of the document's text, so the same document lands in the
/// same split on every machine and every run, and duplicates never straddle the split.
/// </summary>
public static class DocumentSplit
{
    public static bool IsHeldOut(string text, double heldOutFraction)
    {
        if (heldOutFraction <= 0) return false;
        return (Fnv1a64(text) % 1_000_000) < heldOutFraction * 1_000_000;
    }

    public static ulong Fnv1a64(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
