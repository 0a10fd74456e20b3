namespace Rlpt.Modeling;

/// <summary>
/// Reference shapes (Llama-style: GQA, SwiGLU, RMSNorm, tied embeddings). Parameter counts include the
/// 4096-token embedding of Rlpt's default tokenizer; the GPT-2-shaped preset uses GPT-2's 50257 tokens and an
/// MLP of 2048 (three matrices of 768×2048 hold as many weights as GPT-2's two of 768×3072).
/// </summary>
public static class ModelPresets
{
    public static IReadOnlyDictionary<string, ModelConfig> All { get; } = new Dictionary<string, ModelConfig>
    {
        // ~3.2M parameters
        ["tiny"] = new() { HiddenSize = 256, IntermediateSize = 688, NumHiddenLayers = 3, NumAttentionHeads = 4, NumKeyValueHeads = 2, VocabSize = 4096, TieWordEmbeddings = true, MaxPositionEmbeddings = 1024 },
        // ~11M parameters
        ["small"] = new() { HiddenSize = 384, IntermediateSize = 1024, NumHiddenLayers = 6, NumAttentionHeads = 6, NumKeyValueHeads = 2, VocabSize = 4096, TieWordEmbeddings = true, MaxPositionEmbeddings = 1024 },
        // ~124M parameters, GPT-2 small's shape
        ["gpt2-124m"] = new() { HiddenSize = 768, IntermediateSize = 2048, NumHiddenLayers = 12, NumAttentionHeads = 12, NumKeyValueHeads = 12, VocabSize = 50257, TieWordEmbeddings = true, MaxPositionEmbeddings = 1024 },
    };

    public static ModelConfig Get(string name) =>
        All.TryGetValue(name, out var config)
            ? config
            : throw new ArgumentException($"unknown preset '{name}' (choose {string.Join(", ", All.Keys)}).");
}
