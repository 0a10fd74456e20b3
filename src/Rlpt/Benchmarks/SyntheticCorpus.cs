using System.Text;
using System.Text.Json;

namespace Rlpt.Benchmarks;

/// <summary>
/// A large JSON Lines corpus for import benchmarks: documents of random sentences drawn from a vocabulary (e.g.
/// the Brown Corpus' words), so no two documents are duplicates and the text has English-like word statistics.
/// </summary>
public static class SyntheticCorpus
{
    public static long WriteJsonLines(string path, IReadOnlyList<string> vocabulary, long targetBytes, int seed = 0, int documentChars = 8000)
    {
        var random = new Random(seed);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        long written = 0;
        var text = new StringBuilder();
        for (int document = 0; written < targetBytes; document++)
        {
            text.Clear();
            while (text.Length < documentChars)
            {
                int words = random.Next(6, 25);
                for (int w = 0; w < words; w++)
                {
                    var word = vocabulary[random.Next(vocabulary.Count)];
                    text.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word).Append(w + 1 < words ? ' ' : '.');
                }
                text.Append(random.Next(5) == 0 ? "\n\n" : " ");
            }
            var line = JsonSerializer.Serialize(new { text = text.ToString(), id = document });
            writer.WriteLine(line);
            written += Encoding.UTF8.GetByteCount(line) + 1;
        }
        return written;
    }
}
