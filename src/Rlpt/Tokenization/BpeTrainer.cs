using System.Runtime.InteropServices;
using System.Text;

namespace Rlpt.Tokenization;

/// <summary>
/// Byte-level BPE trainer. Words are counted once; each merge then touches only the words holding the merged
/// pair (found through a pair-to-words index) and applies count deltas, instead of recounting everything.
/// </summary>
public static class BpeTrainer
{
    public static TrainedBpe Train(IEnumerable<string> documents, BpeTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(options);
        int specialCount = options.SpecialTokens.Count;
        if (options.VocabSize < specialCount + 256)
            throw new ArgumentException($"VocabSize {options.VocabSize} is below the {specialCount} special tokens plus 256 byte symbols.", nameof(options));
        if (options.SpecialTokens.Distinct(StringComparer.Ordinal).Count() != specialCount)
            throw new ArgumentException("Special tokens must be distinct.", nameof(options));

        var specialIds = options.SpecialTokens.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i, StringComparer.Ordinal);
        var state = new MergeState(CountWords(documents, new TextSegmenter(options.PreTokenizerPattern, specialIds)));

        var vocabulary = new List<string>(options.VocabSize);
        vocabulary.AddRange(options.SpecialTokens);
        var tokenToSymbol = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int b = 0; b < 256; b++)
        {
            string token = ByteLevelAlphabet.ByteToChar[b].ToString();
            vocabulary.Add(token);
            tokenToSymbol[token] = b;
        }

        var merges = new List<(string, string)>();
        while (vocabulary.Count < options.VocabSize && state.TryTakeBestPair(options.MinFrequency, out int left, out int right))
        {
            string token = vocabulary[specialCount + left] + vocabulary[specialCount + right];
            if (specialIds.ContainsKey(token))
            {
                // Would duplicate a special token's string; leave this pair unmerged.
                state.Ban(left, right);
                continue;
            }
            if (!tokenToSymbol.TryGetValue(token, out int symbol))
            {
                symbol = vocabulary.Count - specialCount;
                tokenToSymbol[token] = symbol;
                vocabulary.Add(token);
                state.AddSymbol(ByteLevelAlphabet.TryDecode(token)!);
            }
            merges.Add((vocabulary[specialCount + left], vocabulary[specialCount + right]));
            state.Merge(left, right, symbol);
        }
        return new TrainedBpe(vocabulary, merges, specialCount);
    }

    private static Dictionary<string, long> CountWords(IEnumerable<string> documents, TextSegmenter segmenter)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (string document in documents)
        {
            foreach (var segment in segmenter.Segment(document))
            {
                if (segment.SpecialId < 0)
                    CollectionsMarshal.GetValueRefOrAddDefault(lookup, document.AsSpan(segment.Start, segment.Length), out _)++;
            }
        }
        return counts;
    }

    /// <summary>Words as symbol arrays, pair counts, the pair-to-words index and a lazily updated max-heap of pairs.</summary>
    private sealed class MergeState
    {
        private readonly List<byte[]> _symbolBytes = [];
        private readonly int[][] _words;
        private readonly int[] _lengths;
        private readonly long[] _frequencies;
        private readonly Dictionary<long, long> _pairCounts = [];
        private readonly Dictionary<long, HashSet<int>> _pairWords = [];
        private readonly HashSet<long> _banned = [];
        private readonly PriorityQueue<long, (long Count, long Pair)> _heap;

        public MergeState(Dictionary<string, long> wordCounts)
        {
            for (int b = 0; b < 256; b++)
                _symbolBytes.Add([(byte)b]);
            _heap = new PriorityQueue<long, (long Count, long Pair)>(Comparer<(long Count, long Pair)>.Create(ComparePriority));

            var words = wordCounts.ToArray();
            _words = new int[words.Length][];
            _lengths = new int[words.Length];
            _frequencies = new long[words.Length];
            for (int w = 0; w < words.Length; w++)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(words[w].Key);
                _words[w] = Array.ConvertAll(bytes, b => (int)b);
                _lengths[w] = bytes.Length;
                _frequencies[w] = words[w].Value;
                for (int i = 0; i + 1 < bytes.Length; i++)
                {
                    long pair = Key(bytes[i], bytes[i + 1]);
                    _pairCounts[pair] = _pairCounts.GetValueOrDefault(pair) + _frequencies[w];
                    IndexWord(pair, w);
                }
            }
            foreach (var (pair, count) in _pairCounts)
                _heap.Enqueue(pair, (count, pair));
        }

        public void AddSymbol(byte[] bytes) => _symbolBytes.Add(bytes);

        public void Ban(int left, int right) => _banned.Add(Key(left, right));

        public bool TryTakeBestPair(int minFrequency, out int left, out int right)
        {
            while (_heap.TryDequeue(out long pair, out var priority))
            {
                // Stale heap entries (count changed since they were queued) are skipped.
                if (_banned.Contains(pair) || _pairCounts.GetValueOrDefault(pair) != priority.Count)
                    continue;
                if (priority.Count < minFrequency)
                    break;
                (left, right) = ((int)(pair >> 32), (int)pair);
                return true;
            }
            (left, right) = (-1, -1);
            return false;
        }

        public void Merge(int left, int right, int symbol)
        {
            long merged = Key(left, right);
            var deltas = new Dictionary<long, long>();
            foreach (int w in _pairWords[merged])
            {
                int[] word = _words[w];
                int length = _lengths[w];
                if (!Contains(word, length, left, right))
                    continue;
                long frequency = _frequencies[w];
                for (int i = 0; i + 1 < length; i++)
                    Add(deltas, Key(word[i], word[i + 1]), -frequency);

                int kept = 0;
                for (int i = 0; i < length; kept++)
                {
                    if (i + 1 < length && word[i] == left && word[i + 1] == right)
                    {
                        word[kept] = symbol;
                        i += 2;
                    }
                    else
                    {
                        word[kept] = word[i++];
                    }
                }
                _lengths[w] = kept;
                for (int i = 0; i + 1 < kept; i++)
                {
                    long pair = Key(word[i], word[i + 1]);
                    Add(deltas, pair, frequency);
                    IndexWord(pair, w);
                }
            }
            _pairWords.Remove(merged);

            foreach (var (pair, delta) in deltas)
            {
                if (delta == 0)
                    continue;
                long count = _pairCounts.GetValueOrDefault(pair) + delta;
                if (count > 0)
                {
                    _pairCounts[pair] = count;
                    _heap.Enqueue(pair, (count, pair));
                }
                else
                {
                    _pairCounts.Remove(pair);
                }
            }
        }

        private int ComparePriority((long Count, long Pair) x, (long Count, long Pair) y)
        {
            // Most frequent first; ties go to the pair whose (left bytes, right bytes) sorts first. Symbols have
            // distinct bytes, so this is a total order and the merge sequence does not depend on queue order.
            int byCount = y.Count.CompareTo(x.Count);
            if (byCount != 0)
                return byCount;
            int byLeft = _symbolBytes[(int)(x.Pair >> 32)].AsSpan().SequenceCompareTo(_symbolBytes[(int)(y.Pair >> 32)]);
            return byLeft != 0 ? byLeft : _symbolBytes[(int)x.Pair].AsSpan().SequenceCompareTo(_symbolBytes[(int)y.Pair]);
        }

        private void IndexWord(long pair, int word)
        {
            if (!_pairWords.TryGetValue(pair, out var set))
                _pairWords[pair] = set = [];
            set.Add(word);
        }

        private static bool Contains(int[] word, int length, int left, int right)
        {
            for (int i = 0; i + 1 < length; i++)
            {
                if (word[i] == left && word[i + 1] == right)
                    return true;
            }
            return false;
        }

        private static void Add(Dictionary<long, long> deltas, long pair, long delta) =>
            CollectionsMarshal.GetValueRefOrAddDefault(deltas, pair, out _) += delta;

        private static long Key(int left, int right) => ((long)left << 32) | (uint)right;
    }
}
