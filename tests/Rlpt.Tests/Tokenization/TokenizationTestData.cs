using System.Text;

namespace Rlpt.Tests.Tokenization;

/// <summary>Seeded generators for English-like training text and for arbitrary valid Unicode strings.</summary>
internal static class TokenizationTestData
{
    private static readonly string[] Words =
    [
        "the", "a", "of", "and", "to", "in", "is", "was", "that", "for", "it", "with", "as", "on", "be", "at", "by",
        "this", "had", "not", "are", "but", "from", "or", "have", "an", "they", "which", "one", "you", "were", "her",
        "all", "she", "there", "would", "their", "we", "him", "been", "has", "when", "who", "will", "more", "no",
        "model", "learning", "training", "reinforcement", "reward", "token", "prediction", "language", "reasoning",
        "between", "through", "because", "something", "important", "different", "another", "however", "example",
        "people", "government", "information", "development", "question", "children", "water", "world", "house",
    ];

    public static List<string> EnglishDocuments(int seed, int count)
    {
        var random = new Random(seed);
        var documents = new List<string>(count);
        for (int d = 0; d < count; d++)
        {
            var text = new StringBuilder();
            int sentences = random.Next(3, 8);
            for (int s = 0; s < sentences; s++)
            {
                int length = random.Next(5, 15);
                for (int w = 0; w < length; w++)
                {
                    string word = random.Next(4) == 0 ? MadeUpWord(random) : Words[(int)(Math.Pow(random.NextDouble(), 2) * Words.Length)];
                    text.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : " " + word);
                    if (w > 0 && w < length - 1 && random.Next(10) == 0)
                        text.Append(',');
                }
                text.Append(random.Next(5) == 0 ? "? " : ". ");
                if (random.Next(6) == 0)
                    text.Append(random.Next(1000, 2030)).Append(".\n");
            }
            documents.Add(text.ToString().TrimEnd());
        }
        return documents;
    }

    private static readonly string[] Syllables = ["con", "tra", "ing", "er", "pre", "dis", "ment", "al", "ous", "ly", "re", "st", "ion", "ver", "ble"];

    // Rarer words built from syllables, so there is more to merge than the fixed word list.
    private static string MadeUpWord(Random random)
    {
        int count = random.Next(1, 4);
        return string.Concat(Enumerable.Range(0, count).Select(_ => Syllables[random.Next(Syllables.Length)]));
    }

    private static readonly string[] Fragments =
    [
        "\0", "\t", "\r\n", "\n", "\u0001", "\u007f", " ", "  ", "\u00a0", "\u3000",
        "👩\u200d👩\u200d👧\u200d👦", "🏳\ufe0f\u200d🌈", "👍🏽", "🧑🏿\u200d🚀", "שָׁלוֹם", "مرحبا بالعالم", "\u202eevil\u202c",
        "e\u0301", "a\u0308\u0323", "ﬁ", "'s", "'LL", "<|", "|>", "<|endoftext|>", "<think>", "1234567",
    ];

    public static string RandomUnicode(Random random)
    {
        var text = new StringBuilder();
        int parts = random.Next(1, 12);
        for (int p = 0; p < parts; p++)
        {
            switch (random.Next(9))
            {
                case 0: text.Append(Fragments[random.Next(Fragments.Length)]); break;
                case 1: AppendRange(text, random, 0x4E00, 0x9FFF); break;
                case 2: text.Append(char.ConvertFromUtf32(random.Next(0x1F600, 0x1F650))).Append(char.ConvertFromUtf32(random.Next(0x1F3FB, 0x1F400))); break;
                case 3: text.Append((char)random.Next('a', 'z' + 1)).Append((char)random.Next(0x300, 0x370)).Append((char)random.Next(0x300, 0x370)); break;
                case 4: AppendRange(text, random, 0x05D0, 0x05EA); AppendRange(text, random, 0x0627, 0x064A); break;
                case 5: AppendRange(text, random, 0x20, 0x7F); break;
                case 6: text.Append(char.ConvertFromUtf32(RandomBmpScalar(random))); break;
                case 7: text.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x110000))); break;
                default: text.Append(random.Next(2) == 0 ? " the" : "Hello, world"); break;
            }
        }
        return text.ToString();
    }

    private static void AppendRange(StringBuilder text, Random random, int first, int last)
    {
        int count = random.Next(1, 6);
        for (int i = 0; i < count; i++)
            text.Append((char)random.Next(first, last + 1));
    }

    private static int RandomBmpScalar(Random random)
    {
        while (true)
        {
            int c = random.Next(0, 0x10000);
            if (c is < 0xD800 or > 0xDFFF)
                return c;
        }
    }
}
