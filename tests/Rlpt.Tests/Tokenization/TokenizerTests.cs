using System.Text;
using System.Text.Json;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Tokenization;

public sealed class TokenizerTests(TrainedTokenizerFixture fixture) : IClassFixture<TrainedTokenizerFixture>
{
    private readonly Tokenizer _tokenizer = fixture.Tokenizer;

    [Fact]
    public void DecodeOfEncodeGivesBackRandomUnicode()
    {
        var random = new Random(42);
        for (int i = 0; i < 2000; i++)
        {
            string text = TokenizationTestData.RandomUnicode(random);
            Assert.Equal(text, _tokenizer.Decode(_tokenizer.Encode(text)));
        }
    }

    [Theory]
    [InlineData("a<|endoftext|>b", SpecialTokens.EndOfText)]
    [InlineData("<think>x</think>", SpecialTokens.ThinkStart)]
    [InlineData("<think>x</think>", SpecialTokens.ThinkEnd)]
    [InlineData("the<|im_start|>user\nhi<|im_end|>", SpecialTokens.ImStart)]
    [InlineData("the<|im_start|>user\nhi<|im_end|>", SpecialTokens.ImEnd)]
    [InlineData(" <|startofprediction|>42<|endofprediction|><|pad|><|pad|>", SpecialTokens.StartOfPrediction)]
    [InlineData(" <|startofprediction|>42<|endofprediction|><|pad|><|pad|>", SpecialTokens.Pad)]
    public void SpecialTokensInTextAreNeverSplit(string text, string special)
    {
        var ids = _tokenizer.Encode(text);
        int id = _tokenizer.TokenToId(special)!.Value;
        Assert.Equal(CountOccurrences(text, special), ids.Count(i => i == id));
        Assert.Equal(text, _tokenizer.Decode(ids));
        // Without the special token the text must not produce its id anywhere.
        Assert.DoesNotContain(id, _tokenizer.Encode(text.Replace(special, "")));
    }

    [Fact]
    public void SpecialTokensHaveTheLowestIdsAndEncodeAlone()
    {
        for (int i = 0; i < SpecialTokens.All.Count; i++)
        {
            Assert.Equal(i, _tokenizer.TokenToId(SpecialTokens.All[i]));
            Assert.Equal([i], _tokenizer.Encode(SpecialTokens.All[i]));
            Assert.Equal(SpecialTokens.All[i], _tokenizer.IdToToken(i));
        }
        Assert.Equal(0, _tokenizer.EndOfTextId);
        Assert.Equal(7, _tokenizer.PadId);
    }

    [Fact]
    public void TrainingIsDeterministicAndRespectsVocabSize()
    {
        var options = new BpeTrainerOptions { VocabSize = 700 };
        var documents = TokenizationTestData.EnglishDocuments(seed: 7, count: 300);
        var first = BpeTrainer.Train(documents, options);
        var second = BpeTrainer.Train(documents, options);
        Assert.Equal(700, first.Vocabulary.Count);
        Assert.Equal(first.Vocabulary, second.Vocabulary);
        Assert.Equal(first.Merges, second.Merges);
        Assert.Equal(1024, _tokenizer.VocabSize);
    }

    [Fact]
    public void MergesCompressEnglish()
    {
        string text = string.Join("\n", TokenizationTestData.EnglishDocuments(seed: 99, count: 50));
        double tokensPerByte = _tokenizer.Encode(text).Count / (double)Encoding.UTF8.GetByteCount(text);
        Assert.True(tokensPerByte < 0.5, $"{tokensPerByte:F3} tokens per byte");
    }

    [Fact]
    public void DecodeBytesOfChunksConcatenateAndPartialUtf8BecomesReplacementCharacter()
    {
        string text = "ab 😀 ünïcödé";
        var ids = _tokenizer.Encode(text);
        var bytes = Enumerable.Range(0, ids.Count).SelectMany(i => _tokenizer.DecodeBytes([ids[i]])).ToArray();
        Assert.Equal(Encoding.UTF8.GetBytes(text), bytes);

        var emoji = _tokenizer.Encode("😀");
        Assert.True(emoji.Count > 1, "an untrained emoji is several byte tokens");
        Assert.Equal("\uFFFD", _tokenizer.Decode(emoji.Take(emoji.Count - 1)));
    }

    [Fact]
    public void SaveThenLoadEncodesIdentically()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rlpt-tok-{Guid.NewGuid():N}.json");
        try
        {
            _tokenizer.Save(path);
            var loaded = Tokenizer.Load(path);
            var random = new Random(5);
            var texts = TokenizationTestData.EnglishDocuments(seed: 3, count: 20)
                .Concat(Enumerable.Range(0, 200).Select(_ => TokenizationTestData.RandomUnicode(random)));
            foreach (string text in texts)
                Assert.Equal(_tokenizer.Encode(text), loaded.Encode(text));
            Assert.Equal(_tokenizer.VocabSize, loaded.VocabSize);

            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            Assert.Equal("BPE", root.GetProperty("model").GetProperty("type").GetString());
            Assert.False(root.GetProperty("model").GetProperty("byte_fallback").GetBoolean());
            Assert.Equal(JsonValueKind.Array, root.GetProperty("model").GetProperty("merges")[0].ValueKind);
            var added = root.GetProperty("added_tokens").EnumerateArray().ToList();
            Assert.Equal(SpecialTokens.All, added.Select(t => t.GetProperty("content").GetString()));
            Assert.All(added, t => Assert.True(t.GetProperty("special").GetBoolean()));
            Assert.Equal("ByteLevel", root.GetProperty("decoder").GetProperty("type").GetString());
            var preTokenizers = root.GetProperty("pre_tokenizer").GetProperty("pretokenizers");
            Assert.Equal("Isolated", preTokenizers[0].GetProperty("behavior").GetString());
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.*"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int CountOccurrences(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
