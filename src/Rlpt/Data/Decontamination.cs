using System.Text;

namespace Rlpt.Data;

/// <summary>
/// Finds training documents that share a long word n-gram (13 by default, as in GPT-3's decontamination) with
/// any evaluation text. Words are lower-cased runs of letters and digits, so punctuation and spacing differences
/// do not hide an overlap. Memory: one 64-bit hash per evaluation n-gram.
/// </summary>
public sealed class Decontamination(int n = 13)
{
    private readonly HashSet<ulong> evaluationGrams = [];

    public int N { get; } = n >= 1 ? n : throw new ArgumentOutOfRangeException(nameof(n), "n-gram length must be at least 1.");
    public int EvaluationGramCount => evaluationGrams.Count;

    public void AddEvaluationText(string text)
    {
        foreach (var gram in Grams(text)) evaluationGrams.Add(gram.Hash);
    }

    /// <summary>The first shared n-gram (as text), or null when the document is clean.</summary>
    public string? FindOverlap(string text)
    {
        if (evaluationGrams.Count == 0) return null;
        foreach (var gram in Grams(text))
            if (evaluationGrams.Contains(gram.Hash)) return gram.Text();
        return null;
    }

    private IEnumerable<(ulong Hash, Func<string> Text)> Grams(string text)
    {
        var words = Words(text);
        for (int i = 0; i + N <= words.Count; i++)
        {
            ulong hash = 14695981039346656037UL;
            for (int j = i; j < i + N; j++)
            {
                hash = (hash ^ words[j].Hash) * 1099511628211UL;
                hash = (hash ^ 0x20) * 1099511628211UL; // word separator, so "ab c" and "a bc" differ
            }
            int start = i;
            yield return (hash, () => string.Join(' ', words.Skip(start).Take(N).Select(w => w.Word)));
        }
    }

    private static List<(string Word, ulong Hash)> Words(string text)
    {
        var words = new List<(string, ulong)>();
        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune)) current.Append(Rune.ToLowerInvariant(rune).ToString());
            else Flush();
        }
        Flush();
        return words;

        void Flush()
        {
            if (current.Length == 0) return;
            var word = current.ToString();
            words.Add((word, DocumentSplit.Fnv1a64(word)));
            current.Clear();
        }
    }
}
