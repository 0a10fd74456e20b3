using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Rlpt.Data.Cleaning;

/// <summary>
/// Streaming near-duplicate removal: each document's MinHash signature over its word n-gram shingles is compared
/// with those of earlier kept documents that share an LSH band; a document similar enough to one of them is dropped.
/// Keeps per kept document its signature (4 bytes per permutation) and one bucket entry per band, never texts.
/// Words are lower-cased runs of letters and digits, so punctuation and case changes do not hide duplicates.
/// </summary>
public sealed class MinHashDeduplicator
{
    private readonly MinHashOptions _options;
    private readonly int _bands;
    private readonly int _rows;
    private readonly ulong[] _multipliers;
    private readonly ulong[] _addends;
    private readonly List<uint[]> _signatures = [];
    private readonly Dictionary<ulong, int> _bucketHeads = [];
    // Kept documents sharing a bucket form a chain: _nextInBucket[document * bands + band] is the previous one, or -1.
    private readonly List<int> _nextInBucket = [];

    public MinHashDeduplicator(MinHashOptions options)
    {
        _options = options;
        (_bands, _rows) = options.Banding();
        _multipliers = new ulong[options.NumPermutations];
        _addends = new ulong[options.NumPermutations];
        var state = options.Seed;
        for (var i = 0; i < _multipliers.Length; i++)
        {
            _multipliers[i] = SplitMix(ref state) | 1;
            _addends[i] = SplitMix(ref state);
        }
    }

    /// <summary>True (remembering the document) unless it is a near duplicate of an earlier kept document.</summary>
    public bool IsNew(string text)
    {
        var signature = Signature(text);
        if (signature is null) return true;
        var keys = new ulong[_bands];
        var checkedDocuments = new HashSet<int>();
        for (var band = 0; band < _bands; band++)
        {
            keys[band] = BandKey(signature, band);
            if (!_bucketHeads.TryGetValue(keys[band], out var other)) continue;
            for (; other >= 0; other = _nextInBucket[other * _bands + band])
                if (checkedDocuments.Add(other) && EstimatedJaccard(signature, _signatures[other]) >= _options.Threshold) return false;
        }
        var id = _signatures.Count;
        _signatures.Add(signature);
        for (var band = 0; band < _bands; band++)
        {
            _nextInBucket.Add(_bucketHeads.TryGetValue(keys[band], out var head) ? head : -1);
            _bucketHeads[keys[band]] = id;
        }
        return true;
    }

    /// <summary>The MinHash signature, or null for a text without words. Texts shorter than a shingle are one shingle.</summary>
    internal uint[]? Signature(string text)
    {
        var words = WordHashes(text);
        if (words.Count == 0) return null;
        var minima = new ulong[_multipliers.Length];
        Array.Fill(minima, ulong.MaxValue);
        var size = Math.Min(_options.ShingleSize, words.Count);
        var width = Vector<ulong>.Count;
        for (var start = 0; start + size <= words.Count; start++)
        {
            var shingle = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(words).Slice(start, size)));
            // One hash function per permutation, multiply-add-shift (a·x + b) >> 32 on the well-mixed shingle hash,
            // computed a vector of permutations at a time.
            var x = new Vector<ulong>(shingle);
            var i = 0;
            for (; i + width <= minima.Length; i += width)
            {
                var value = Vector.ShiftRightLogical(new Vector<ulong>(_multipliers, i) * x + new Vector<ulong>(_addends, i), 32);
                Vector.Min(new Vector<ulong>(minima, i), value).CopyTo(minima, i);
            }
            for (; i < minima.Length; i++) minima[i] = Math.Min(minima[i], (_multipliers[i] * shingle + _addends[i]) >> 32);
        }
        return [.. minima.Select(m => (uint)m)];
    }

    internal static double EstimatedJaccard(uint[] a, uint[] b)
    {
        var equal = 0;
        for (var i = 0; i < a.Length; i++)
            if (a[i] == b[i]) equal++;
        return (double)equal / a.Length;
    }

    private ulong BandKey(uint[] signature, int band) =>
        XxHash3.HashToUInt64(MemoryMarshal.AsBytes(signature.AsSpan(band * _rows, _rows)), seed: band);

    private static List<ulong> WordHashes(string text)
    {
        var hashes = new List<ulong>();
        var word = new char[64];
        var length = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                if (length == word.Length) Array.Resize(ref word, length * 2);
                word[length++] = char.ToLowerInvariant(text[i]);
            }
            else if (length > 0)
            {
                hashes.Add(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(word.AsSpan(0, length))));
                length = 0;
            }
        }
        return hashes;
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
