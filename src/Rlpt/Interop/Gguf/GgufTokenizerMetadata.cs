using Rlpt.Interop.ChatTemplates;
using Rlpt.Modeling;
using Rlpt.Tokenization;

namespace Rlpt.Interop.Gguf;

/// <summary>
/// The tokenizer.ggml.* keys of a byte-level BPE ("gpt2" model in llama.cpp): tokens in the byte-level alphabet as
/// tokenizer.json spells them, token types, merges, special ids, the pre-tokenizer by name, and the chat template.
/// </summary>
public static class GgufTokenizerMetadata
{
    // llama_token_type values.
    private const int Normal = 1;
    private const int Control = 3;
    private const int UserDefined = 4;
    private const int Unused = 5;

    /// <summary>llama.cpp knows pre-tokenizers by name, not by regex: the names whose regex equals Rlpt's patterns.</summary>
    public static string PreTokenizerName(string pattern) => pattern switch
    {
        PreTokenizerPatterns.Llama3 => "llama-bpe",
        PreTokenizerPatterns.Gpt2 => "gpt-2",
        PreTokenizerPatterns.Qwen2 => "qwen2",
        _ => throw new NotSupportedException(
            $"the tokenizer's pre-tokenizer regex has no llama.cpp equivalent (known: Llama 3, GPT-2, Qwen2): {pattern}"),
    };

    public static void Add(GgufWriter writer, Tokenizer tokenizer, ModelConfig config, ChatTemplate chatTemplate)
    {
        var definition = tokenizer.Definition;
        if (tokenizer.VocabSize > config.VocabSize)
            throw new InvalidDataException($"the tokenizer has {tokenizer.VocabSize} tokens but the model only {config.VocabSize} embeddings.");
        // One entry per embedding row: rows no token uses get placeholder names, as llama.cpp's converter writes them.
        var tokens = Enumerable.Range(0, config.VocabSize).Select(i => $"[PAD{i}]").ToArray();
        var types = Enumerable.Repeat(Unused, config.VocabSize).ToArray();
        foreach (var (token, id) in definition.Vocabulary)
            (tokens[id], types[id]) = (token, Normal);
        foreach (var added in definition.AddedTokens)
            (tokens[added.Id], types[added.Id]) = (added.Content, added.Special ? Control : UserDefined);

        writer.Add("tokenizer.ggml.model", GgufValue.Of("gpt2"));
        writer.Add("tokenizer.ggml.pre", GgufValue.Of(PreTokenizerName(definition.PreTokenizerPattern)));
        writer.Add("tokenizer.ggml.tokens", GgufValue.Of(tokens));
        writer.Add("tokenizer.ggml.token_type", GgufValue.Of(types));
        writer.Add("tokenizer.ggml.merges", GgufValue.Of(definition.Merges.Select(m => $"{m.Left} {m.Right}").ToArray()));
        // Rlpt's models have no BOS token; like Qwen's converter, name end-of-text and never add it.
        writer.Add("tokenizer.ggml.bos_token_id", GgufValue.Of((uint)(config.BosTokenId ?? tokenizer.EndOfTextId)));
        writer.Add("tokenizer.ggml.eos_token_id", GgufValue.Of((uint)tokenizer.EndOfTextId));
        if (tokenizer.PadId >= 0) writer.Add("tokenizer.ggml.padding_token_id", GgufValue.Of((uint)tokenizer.PadId));
        writer.Add("tokenizer.ggml.add_bos_token", GgufValue.Of(false));
        writer.Add("tokenizer.chat_template", GgufValue.Of(chatTemplate.Source));
    }
}
