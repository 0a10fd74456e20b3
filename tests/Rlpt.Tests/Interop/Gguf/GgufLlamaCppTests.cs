using Rlpt.Generation;
using Rlpt.Interop.Gguf;
using Rlpt.Tests.Tokenization;
using Rlpt.Tokenization;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Rlpt.Tests.Interop.Gguf;

/// <summary>
/// Rlpt's GGUF export run by llama.cpp (LLamaSharp's CPU backend), an independent implementation: the same
/// tokens, the same logits within float tolerance, the same greedy continuations.
/// </summary>
public sealed class GgufLlamaCppTests(GgufModelsFixture fixture, ITestOutputHelper output) : IClassFixture<GgufModelsFixture>
{
    public static readonly string[] Prompts =
    [
        "The model was trained on the data.",
        "However, the government had not been there.",
        "Reinforcement learning through reward prediction",
        "She would have been with the children when it was important.",
        "In 1999, the house had 12 rooms and 345678 windows.",
        "What is the example? It is something different!",
        "they were all at the water, and we went through it",
        "A question of information, development and reasoning.",
        "Line one.\nLine two.\n\nLine four after a blank line.",
        "  leading spaces and    inner   runs of spaces  ",
        "Tabs\tand\ttabs, commas,,, and dots...",
        "It's, I'LL, we've, they'd, you're: contractions.",
        "conpremention disstrational verblely reous",
        "numbers 1 22 333 4444 55555 and 3.14159",
        "symbols: #@!$%^&*()[]{}<>~`|\\/+=-_",
        "MIXED Case WORDS With Capitals",
        ChatFormat.UserPrompt("Which token comes next?"),
        "<|endoftext|>Another document begins here.",
        "<think>reasoning</think> answer <|startofprediction|>the end<|endofprediction|>",
        "the the the the the the the the",
        "x",
        "A much longer prompt that goes on and on, because the language model should see positions far beyond the "
            + "first few tokens, where the rotary frequencies that Llama 3 scaling changes actually matter for attention.",
    ];

    public static TheoryData<string, GgufTensorType> ArchitecturesAndTypes => new()
    {
        { "llama", GgufTensorType.F32 }, { "qwen2", GgufTensorType.F32 }, { "qwen3", GgufTensorType.F32 },
        { "llama", GgufTensorType.F16 }, { "qwen2", GgufTensorType.F16 }, { "qwen3", GgufTensorType.F16 },
    };

    [Fact]
    public void Tokenization_MatchesLlamaCpp()
    {
        var llamaCpp = fixture.LlamaCpp("llama", GgufTensorType.F32);
        foreach (var prompt in Prompts)
            Assert.Equal(fixture.Tokenizer.Encode(prompt), llamaCpp.Tokenize(prompt));
    }

    /// <summary>
    /// Arbitrary Unicode (emoji sequences, combining marks, CJK, RTL, control characters, special-token look-alikes):
    /// llama.cpp's llama-bpe pre-tokenizer splits exactly where Rlpt's Llama 3 regex does.
    /// </summary>
    [Fact]
    public void Tokenization_RandomUnicode_MatchesLlamaCpp()
    {
        var llamaCpp = fixture.LlamaCpp("llama", GgufTensorType.F32);
        var random = new Random(1);
        for (int i = 0; i < 500; i++)
        {
            var text = TokenizationTestData.RandomUnicode(random);
            Assert.True(fixture.Tokenizer.Encode(text).SequenceEqual(llamaCpp.Tokenize(text)), $"tokens differ for {System.Text.Json.JsonSerializer.Serialize(text)}");
        }
    }

    /// <summary>Tokenizers with GPT-2's and Qwen2's regexes, exported as "gpt-2" and "qwen2", split like llama.cpp's pre-tokenizers too.</summary>
    [Theory]
    [InlineData(PreTokenizerPatterns.Gpt2)]
    [InlineData(PreTokenizerPatterns.Qwen2)]
    public void Tokenization_OtherPreTokenizers_MatchLlamaCpp(string pattern)
    {
        var tokenizer = Tokenizer.Train(TokenizationTestData.EnglishDocuments(seed: 6, count: 150), new BpeTrainerOptions { VocabSize = 400, PreTokenizerPattern = pattern });
        using var model = Modeling.TinyModels.Create(Modeling.TinyModels.Config("qwen2") with { VocabSize = tokenizer.VocabSize });
        using var dir = new TestDirectory();
        GgufExporter.Export(model, tokenizer, dir.File("m.gguf"), GgufTensorType.F32, "tokenizer-only");
        using var llamaCpp = new Rlpt.Cli.Interop.LlamaCpp.LlamaCppModel(dir.File("m.gguf"), threads: 1);
        var random = new Random(2);
        foreach (var text in Prompts.Concat(Enumerable.Range(0, 300).Select(_ => TokenizationTestData.RandomUnicode(random))))
            Assert.True(tokenizer.Encode(text).SequenceEqual(llamaCpp.Tokenize(text)), $"tokens differ for {System.Text.Json.JsonSerializer.Serialize(text)}");
    }

    /// <summary>llama.cpp recognises the exported chat template as ChatML and formats a conversation as Rlpt does.</summary>
    [Fact]
    public void ChatTemplate_FormatsLikeChatFormat()
    {
        var template = GgufFile.Read(fixture.GgufPath("qwen3", GgufTensorType.F32)).Metadata["tokenizer.chat_template"].AsString();
        ChatMessage[] conversation = [new(ChatFormat.System, "Be brief."), new(ChatFormat.User, "Hi!"), new(ChatFormat.Assistant, "Hello."), new(ChatFormat.User, "Next?")];
        var llamaTemplate = new LLama.LLamaTemplate(template) { AddAssistant = true };
        foreach (var message in conversation) llamaTemplate.Add(message.Role, message.Content);
        Assert.Equal(ChatFormat.Prompt(conversation), System.Text.Encoding.UTF8.GetString(llamaTemplate.Apply()));
    }

    /// <summary>
    /// Every position of every prompt, the same token ids fed to both; the logits reach about ±10. F32: max |Δ| ≤ 1e-3.
    /// F16 against Rlpt with the same F16-rounded weights: what remains is llama.cpp rounding activations to F16 for
    /// its F16 matmuls, max |Δ| ≤ 1e-1 (about 1% of the largest logit; a wrong tensor or layout is off by whole units).
    /// </summary>
    [Theory]
    [MemberData(nameof(ArchitecturesAndTypes))]
    public void Logits_MatchLlamaCpp(string architecture, GgufTensorType type)
    {
        double tolerance = type == GgufTensorType.F32 ? 1e-3 : 1e-1;
        var model = type == GgufTensorType.F32 ? fixture.Model(architecture) : fixture.RoundedModel(architecture);
        var llamaCpp = fixture.LlamaCpp(architecture, type);
        double maxDiff = 0, maxLogit = 0;
        foreach (var prompt in Prompts)
        {
            var ids = fixture.Tokenizer.Encode(prompt);
            var expected = RlptLogits(model, ids);
            var actual = llamaCpp.Logits(ids);
            Assert.Equal(expected.Length, actual.Length);
            for (int t = 0; t < ids.Count; t++)
            {
                Assert.Equal(expected[t].Length, actual[t].Length);
                for (int v = 0; v < expected[t].Length; v++)
                {
                    maxDiff = Math.Max(maxDiff, Math.Abs(expected[t][v] - actual[t][v]));
                    maxLogit = Math.Max(maxLogit, Math.Abs(expected[t][v]));
                }
            }
        }
        output.WriteLine($"{architecture} {type}: max |logit| {maxLogit:F3}, max |Δ| {maxDiff:E2} (tolerance {tolerance:E0})");
        Assert.True(maxLogit > 2, $"logits too flat to test anything (max |logit| {maxLogit:F3}).");
        Assert.True(maxDiff <= tolerance, $"{architecture} {type}: max |Δ logit| {maxDiff:E3} > {tolerance:E0}.");
    }

    /// <summary>Greedy decoding of 32 tokens: Rlpt's batched generator and llama.cpp's batched decoding agree token for token.</summary>
    [Theory]
    [InlineData("llama")]
    [InlineData("qwen2")]
    [InlineData("qwen3")]
    public void GreedyGeneration_MatchesLlamaCpp(string architecture)
    {
        const int newTokens = 32;
        var prompts = Prompts.Take(6).Select(p => fixture.Tokenizer.Encode(p)).ToArray();
        var options = new SamplingOptions { MaxNewTokens = newTokens, Temperature = 0, StopAtEndOfText = false };
        var expected = new BatchGenerator(fixture.Model(architecture), fixture.Tokenizer)
            .Generate(prompts.Select(p => new GenerationRequest(p, options)).ToArray());
        var actual = fixture.LlamaCpp(architecture, GgufTensorType.F32).GenerateGreedy(prompts, newTokens);
        for (int i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(newTokens, expected[i].TokenIds.Count);
            Assert.Equal(expected[i].TokenIds, actual[i]);
        }
        // Not a degenerate repetition of one token: the comparison covers varied choices.
        Assert.True(expected.SelectMany(r => r.TokenIds).Distinct().Count() > 20);
    }

    private static float[][] RlptLogits(Rlpt.Modeling.CausalLM model, IReadOnlyList<int> ids)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var logits = model.Forward(tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0)).squeeze(0);
        var flat = logits.data<float>().ToArray();
        int vocab = (int)logits.shape[1];
        return Enumerable.Range(0, ids.Count).Select(t => flat[(t * vocab)..((t + 1) * vocab)]).ToArray();
    }
}
