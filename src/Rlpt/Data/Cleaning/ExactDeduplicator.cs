using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Rlpt.Data.Cleaning;

/// <summary>
/// Drops documents whose text, lower-cased with whitespace runs collapsed, was seen before. Keeps one 128-bit
/// XxHash per distinct document (collisions are negligible at 2^-64 even for billions of documents).
/// </summary>
public sealed class ExactDeduplicator
{
    private readonly HashSet<UInt128> _seen = [];

    /// <summary>True the first time a text is seen (remembering it), false for a duplicate.</summary>
    public bool IsNew(string text)
    {
        var key = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var length = 0;
            var space = false;
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c)) space = length > 0;
                else
                {
                    if (space) key[length++] = ' ';
                    space = false;
                    key[length++] = char.ToLowerInvariant(c);
                }
            }
            return _seen.Add(XxHash128.HashToUInt128(MemoryMarshal.AsBytes(key.AsSpan(0, length))));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(key);
        }
    }
}
