using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Rlpt.Data.Store;

namespace Rlpt.Tests.Reliability;

/// <summary>
/// A corpus of damaged token datasets, each a copy of one valid dataset folder with one thing broken: meta.json
/// (missing, broken, wrong types, absurd or negative sizes, counts that disagree with the files), the token files
/// (zero-length, truncated mid-record or by whole tokens, ids outside the vocabulary, bit flips) and the document and
/// segment indexes (truncated mid-record, entries outside the files, bit flips). Seeded, so a failure reproduces.
/// </summary>
internal static class DamagedDatasets
{
    private const string Meta = TokenDataset.MetaFileName;
    private static readonly string Tokens = TokenDataset.TokenFileName(TokenDataset.TrainSplit);
    private static readonly string Documents = TokenDataset.DocumentIndexFileName(TokenDataset.TrainSplit);
    private static readonly string Segments = TokenDataset.SegmentIndexFileName(TokenDataset.TrainSplit);
    /// <summary>DocumentEntry's layout (Pack = 4): TokenStart 0, TokenCount 8, SegmentStart 12, SegmentCount 20, SourceIndex 24, CharCount 28.</summary>
    private const int DocumentSize = 32, SegmentSize = 20;

    public static IEnumerable<DamagedInput> All(int bitFlips, int seed)
    {
        var random = new Random(seed);
        yield return new("meta.json missing", d => File.Delete(Path.Combine(d, Meta)));
        yield return new("meta.json zero-length", d => File.WriteAllText(Path.Combine(d, Meta), ""));
        yield return new("meta.json not JSON", d => File.WriteAllText(Path.Combine(d, Meta), "{\"format\": \"rlpt-tokens\", "));
        yield return new("meta.json an array", d => File.WriteAllText(Path.Combine(d, Meta), "[1, 2]"));
        yield return new("meta format a number", d => EditMeta(d, m => m["format"] = 7));
        yield return new("meta version 99", d => EditMeta(d, m => m["version"] = 99));
        yield return new("meta vocab_size negative", d => EditMeta(d, m => m["vocab_size"] = -5));
        yield return new("meta vocab_size 1e9", d => EditMeta(d, m => m["vocab_size"] = 1_000_000_000));
        yield return new("meta vocab_size beyond int", d => EditMeta(d, m => m["vocab_size"] = 1e12));
        yield return new("meta bytes_per_token 3", d => EditMeta(d, m => m["bytes_per_token"] = 3));
        yield return new("meta end_of_text_id outside the vocabulary", d => EditMeta(d, m => m["end_of_text_id"] = 1_000_000));
        yield return new("meta no sources", d => EditMeta(d, m => m["sources"] = new JsonArray()));
        yield return new("meta negative token count", d => EditMeta(d, m => m["train"]!["tokens"] = -1));
        yield return new("meta one document more than the index", d => EditMeta(d, m => m["train"]!["documents"] = m["train"]!["documents"]!.GetValue<long>() + 1));
        yield return new("meta tokens a string", d => EditMeta(d, m => m["train"]!["tokens"] = "many"));
        yield return new("train.bin missing", d => File.Delete(Path.Combine(d, Tokens)));
        yield return new("train.bin zero-length", d => File.WriteAllBytes(Path.Combine(d, Tokens), []));
        yield return new("train.bin truncated mid-token", d => Truncate(Path.Combine(d, Tokens), bytes: 1));
        yield return new("train.bin truncated by half", d => Truncate(Path.Combine(d, Tokens), bytes: (int)(new FileInfo(Path.Combine(d, Tokens)).Length / 4 * 2)));
        yield return new("train.bin a token id beyond the vocabulary", d => Patch(Path.Combine(d, Tokens), new FileInfo(Path.Combine(d, Tokens)).Length / 2 & ~1L, [0xFF, 0xFF]));
        yield return new("val.bin missing", d => File.Delete(Path.Combine(d, TokenDataset.TokenFileName(TokenDataset.ValidationSplit))));
        yield return new("document index truncated mid-record", d => Truncate(Path.Combine(d, Documents), bytes: 5));
        yield return new("document index zero-length", d => File.WriteAllBytes(Path.Combine(d, Documents), []));
        yield return new("a document's tokens past the end", d => PatchLong(Path.Combine(d, Documents), DocumentSize * 3 + 0, long.MaxValue / 2));
        yield return new("a document's tokens at a negative offset", d => PatchLong(Path.Combine(d, Documents), DocumentSize * 3 + 0, -100));
        yield return new("a document's token count negative", d => PatchInt(Path.Combine(d, Documents), DocumentSize * 2 + 8, -7));
        yield return new("a document's segments past the end", d => PatchInt(Path.Combine(d, Documents), DocumentSize * 1 + 20, int.MaxValue));
        yield return new("a document's source out of range", d => PatchInt(Path.Combine(d, Documents), DocumentSize * 4 + 24, 9));
        yield return new("segment index truncated mid-record", d => Truncate(Path.Combine(d, Segments), bytes: 3));
        yield return new("a segment's tokens past the end", d => PatchLong(Path.Combine(d, Segments), SegmentSize * 5 + 0, 1L << 40));
        yield return new("a segment's token count negative", d => PatchInt(Path.Combine(d, Segments), SegmentSize * 6 + 8, -1));
        yield return new("tokenizer.json missing", d => File.Delete(Path.Combine(d, TokenDataset.TokenizerFileName)));
        for (int i = 0; i < bitFlips; i++)
        {
            int draw = random.Next();
            yield return new($"bit flip #{i} in train.bin", d => FlipBit(Path.Combine(d, Tokens), new Random(draw)));
        }
        for (int i = 0; i < bitFlips; i++)
        {
            int draw = random.Next();
            yield return new($"bit flip #{i} in the document index", d => FlipBit(Path.Combine(d, Documents), new Random(draw)));
        }
    }

    /// <summary>What a trainer does with a dataset over a run: open it, read every document, segment and token of both splits.</summary>
    public static void ReadEverything(string directory)
    {
        using var data = TokenDataset.Open(directory);
        data.LoadTokenizer();
        foreach (var split in new[] { data.Train, data.Validation })
        {
            for (long d = 0; d < split.Documents.Count; d++) _ = split.Documents[d];
            for (long s = 0; s < split.Segments.Count; s++) split.ReadTokens(split.Segments[s].TokenStart, split.Segments[s].TokenCount);
            const int chunk = 4096;
            for (long start = 0; start < split.Tokens.Count; start += chunk) split.ReadTokens(start, (int)Math.Min(chunk, split.Tokens.Count - start));
        }
    }

    private static void EditMeta(string directory, Action<JsonObject> edit)
    {
        var path = Path.Combine(directory, Meta);
        var meta = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(meta);
        File.WriteAllText(path, meta.ToJsonString());
    }

    private static void Truncate(string path, int bytes)
    {
        using var file = File.Open(path, FileMode.Open);
        file.SetLength(file.Length - bytes);
    }

    private static void Patch(string path, long offset, byte[] bytes)
    {
        using var file = File.Open(path, FileMode.Open);
        file.Position = offset;
        file.Write(bytes);
    }

    private static void PatchLong(string path, long offset, long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        Patch(path, offset, bytes);
    }

    private static void PatchInt(string path, long offset, int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        Patch(path, offset, bytes);
    }

    private static void FlipBit(string path, Random random)
    {
        var bytes = File.ReadAllBytes(path);
        int bit = random.Next(bytes.Length * 8);
        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        File.WriteAllBytes(path, bytes);
    }
}
