using Rlpt.Modeling;

namespace Rlpt.Interop.Gguf;

/// <summary>The general.* and {architecture}.* hyper-parameter keys llama.cpp reads for llama, qwen2 and qwen3.</summary>
public static class GgufModelMetadata
{
    public static void Add(GgufWriter writer, ModelConfig config, GgufTensorType floatType, string name)
    {
        string arch = config.ModelType;
        writer.Add("general.architecture", GgufValue.Of(arch));
        writer.Add("general.name", GgufValue.Of(name));
        // llama_ftype: ALL_F32 = 0, MOSTLY_F16 = 1 (norms and biases stay F32 in both).
        writer.Add("general.file_type", GgufValue.Of(floatType == GgufTensorType.F32 ? 0u : 1u));
        writer.Add($"{arch}.vocab_size", GgufValue.Of((uint)config.VocabSize));
        writer.Add($"{arch}.context_length", GgufValue.Of((uint)config.MaxPositionEmbeddings));
        writer.Add($"{arch}.embedding_length", GgufValue.Of((uint)config.HiddenSize));
        writer.Add($"{arch}.block_count", GgufValue.Of((uint)config.NumHiddenLayers));
        writer.Add($"{arch}.feed_forward_length", GgufValue.Of((uint)config.IntermediateSize));
        writer.Add($"{arch}.attention.head_count", GgufValue.Of((uint)config.NumAttentionHeads));
        writer.Add($"{arch}.attention.head_count_kv", GgufValue.Of((uint)config.KeyValueHeads));
        writer.Add($"{arch}.rope.dimension_count", GgufValue.Of((uint)config.HeadDim));
        writer.Add($"{arch}.rope.freq_base", GgufValue.Of((float)config.RopeTheta));
        writer.Add($"{arch}.attention.layer_norm_rms_epsilon", GgufValue.Of((float)config.RmsNormEps));
        // llama.cpp assumes hidden / heads per head unless told otherwise (Qwen3 sets head_dim explicitly).
        if (config.HeadDim * config.NumAttentionHeads != config.HiddenSize)
        {
            writer.Add($"{arch}.attention.key_length", GgufValue.Of((uint)config.HeadDim));
            writer.Add($"{arch}.attention.value_length", GgufValue.Of((uint)config.HeadDim));
        }
    }
}
