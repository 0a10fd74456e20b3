using System.Text.Json;
using System.Text.Json.Nodes;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Tokenization;

/// <summary>Loading hand-written tokenizer.json files shaped like those of real models.</summary>
public sealed class TokenizerLoadTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rlpt-tok-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Ids 0..255 are the bytes, written in GPT-2's byte-to-unicode alphabet (worked out here independently).
    private static string ByteChar(int b)
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range(0xA1, 0xAC - 0xA1 + 1)).Concat(Enumerable.Range(0xAE, 0xFF - 0xAE + 1)).ToList();
        if (printable.Contains(b))
            return ((char)b).ToString();
        return ((char)(256 + Enumerable.Range(0, b).Count(x => !printable.Contains(x)))).ToString();
    }

    private static JsonObject TinyLlama3Style(bool mergesAsArrays, JsonNode preTokenizer, bool ignoreMerges)
    {
        var vocab = new JsonObject();
        for (int b = 0; b < 256; b++)
            vocab[ByteChar(b)] = b;
        vocab["Ġt"] = 256;
        vocab["he"] = 257;
        vocab["Ġthe"] = 258;
        vocab["ll"] = 259;
        vocab["Ġhello"] = 262;
        string[][] merges = [["Ġ", "t"], ["h", "e"], ["Ġt", "he"], ["l", "l"]];
        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(
                new JsonObject { ["id"] = 260, ["content"] = "<|end_of_text|>", ["special"] = true },
                new JsonObject { ["id"] = 261, ["content"] = "<|begin_of_text|>", ["special"] = true }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = preTokenizer,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["byte_fallback"] = false,
                ["ignore_merges"] = ignoreMerges,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(merges.Select(m => mergesAsArrays ? new JsonArray(m[0], m[1]) : (JsonNode)JsonValue.Create($"{m[0]} {m[1]}")).ToArray()),
            },
        };
    }

    private static JsonNode Llama3PreTokenizer() => JsonNode.Parse($$"""
        {"type": "Sequence", "pretokenizers": [
          {"type": "Split", "pattern": {"Regex": {{JsonSerializer.Serialize(PreTokenizerPatterns.Llama3)}}}, "behavior": "Isolated", "invert": false},
          {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}
        """)!;

    private string Write(JsonNode json, string name = "tokenizer.json")
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    [Fact]
    public void LoadsLlama3StyleFileAndEncodesToHandComputedIds()
    {
        var tokenizer = Tokenizer.Load(Write(TinyLlama3Style(mergesAsArrays: false, Llama3PreTokenizer(), ignoreMerges: false)));
        // "the" → t·he; " hello" → Ġ·he·ll·o; the special token; " the" → Ġt·he → Ġthe.
        Assert.Equal([116, 257, 32, 257, 259, 111, 260, 258], tokenizer.Encode("the hello<|end_of_text|> the"));
        Assert.Equal(260, tokenizer.EndOfTextId);
        Assert.Equal(260, tokenizer.PadId);
        Assert.Equal(263, tokenizer.VocabSize);
        Assert.Equal("the hello<|end_of_text|> the", tokenizer.Decode([116, 257, 32, 257, 259, 111, 260, 258]));
    }

    [Fact]
    public void IgnoreMergesTakesWholeWordsFromTheVocabulary()
    {
        var tokenizer = Tokenizer.Load(Write(TinyLlama3Style(mergesAsArrays: true, Llama3PreTokenizer(), ignoreMerges: true)));
        Assert.Equal([116, 257, 262, 260, 258], tokenizer.Encode("the hello<|end_of_text|> the"));
    }

    [Fact]
    public void Gpt2ByteLevelPreTokenizerUsesTheGpt2Regex()
    {
        var preTokenizer = JsonNode.Parse("""{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}""")!;
        var tokenizer = Tokenizer.Load(Write(TinyLlama3Style(mergesAsArrays: true, preTokenizer, ignoreMerges: false)));
        // GPT-2 keeps digits together (Llama 3 splits them in threes) and puts the space before "12345" into it.
        Assert.Equal([32, 49, 50, 51, 52, 53], tokenizer.Encode(" 12345"));
        Assert.Equal([258, 10], tokenizer.Encode(" the\n"));
    }

    [Fact]
    public void SavedLoadedFileKeepsEncoding()
    {
        var tokenizer = Tokenizer.Load(Write(TinyLlama3Style(mergesAsArrays: false, Llama3PreTokenizer(), ignoreMerges: true)));
        string path = Path.Combine(_folder, "saved.json");
        tokenizer.Save(path);
        Assert.Equal(tokenizer.Encode("the hello<|end_of_text|> the"), Tokenizer.Load(path).Encode("the hello<|end_of_text|> the"));
    }

    [Fact]
    public void UnsupportedModelTypesAreRejected()
    {
        var wordPiece = JsonNode.Parse("""{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}}""")!;
        var unigram = JsonNode.Parse("""{"model": {"type": "Unigram", "vocab": [["a", 0.0]]}}""")!;
        var sentencePiece = TinyLlama3Style(mergesAsArrays: false, Llama3PreTokenizer(), ignoreMerges: false);
        sentencePiece["model"]!["byte_fallback"] = true;
        var metaspace = TinyLlama3Style(mergesAsArrays: false, JsonNode.Parse("""{"type": "Metaspace", "replacement": "▁"}""")!, ignoreMerges: false);

        Assert.Contains("WordPiece", Assert.Throws<InvalidDataException>(() => Tokenizer.Load(Write(wordPiece, "wp.json"))).Message);
        Assert.Contains("Unigram", Assert.Throws<InvalidDataException>(() => Tokenizer.Load(Write(unigram, "ug.json"))).Message);
        Assert.Contains("byte_fallback", Assert.Throws<InvalidDataException>(() => Tokenizer.Load(Write(sentencePiece, "sp.json"))).Message);
        Assert.Contains("Metaspace", Assert.Throws<InvalidDataException>(() => Tokenizer.Load(Write(metaspace, "ms.json"))).Message);
    }

    [Fact]
    public void MissingOrCorruptFilesGiveClearErrors()
    {
        Assert.Throws<FileNotFoundException>(() => Tokenizer.Load(Path.Combine(_folder, "absent.json")));
        string corrupt = Path.Combine(_folder, "corrupt.json");
        File.WriteAllText(corrupt, "{\"model\": {\"type\": \"BPE\", ");
        Assert.Throws<InvalidDataException>(() => Tokenizer.Load(corrupt));
        File.WriteAllText(corrupt, "{\"model\": {\"type\": \"BPE\"}}");
        Assert.Throws<InvalidDataException>(() => Tokenizer.Load(corrupt));
    }
}
