using Rlpt.Interop.ChatTemplates;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using static TorchSharp.torch;

namespace Rlpt.Interop.Gguf;

/// <summary>
/// Writes a <see cref="CausalLM"/> and its tokenizer as a GGUF file that llama.cpp runs as it is (architectures
/// llama, qwen2 and qwen3), following the conventions of llama.cpp's Hugging Face converter.
/// </summary>
public static class GgufExporter
{
    /// <param name="chatTemplate">The model folder's chat template (<see cref="ChatTemplate.RlptDefault"/> when null).</param>
    public static void Export(CausalLM model, Tokenizer tokenizer, string path, GgufTensorType floatType, string name, ChatTemplate? chatTemplate = null)
    {
        var config = model.Config;
        var writer = new GgufWriter();
        GgufModelMetadata.Add(writer, config, floatType, name);
        GgufTokenizerMetadata.Add(writer, tokenizer, config, chatTemplate ?? ChatTemplate.RlptDefault);

        using var scope = NewDisposeScope();
        using var guard = no_grad();
        foreach (var (hfName, tensor) in model.state_dict())
        {
            var data = config.ModelType == "llama" ? ToInterleavedRotary(hfName, tensor, config) : tensor;
            // Like llama.cpp's converter: vectors (norms, biases) stay F32 whatever the weight type.
            writer.AddTensor(GgufTensorNames.FromHuggingFace(hfName), data, data.dim() == 1 ? GgufTensorType.F32 : floatType);
        }
        if (config.RopeScaling is { RopeType: "llama3" })
            writer.AddTensor("rope_freqs.weight", RopeFrequencyFactors(config), GgufTensorType.F32);
        writer.Save(path);
    }

    /// <summary>The weight type for a --dtype value: f32 or f16.</summary>
    public static GgufTensorType ParseFloatType(string dtype) => dtype.ToLowerInvariant() switch
    {
        "f32" or "float32" => GgufTensorType.F32,
        "f16" or "float16" => GgufTensorType.F16,
        _ => throw new ArgumentException($"--dtype '{dtype}' is not supported for GGUF (f32, f16)."),
    };

    /// <summary>
    /// llama.cpp runs the llama architecture with rotary pairs (2i, 2i+1) where Hugging Face pairs (i, i+d/2), so
    /// the rows of each q and k head are reordered (weights and biases alike); attention scores are unchanged.
    /// qwen2 and qwen3 run with Hugging Face's layout (NEOX rope) and are written as they are.
    /// </summary>
    private static Tensor ToInterleavedRotary(string hfName, Tensor tensor, ModelConfig config)
    {
        int heads;
        if (hfName.Contains(".self_attn.q_proj.")) heads = config.NumAttentionHeads;
        else if (hfName.Contains(".self_attn.k_proj.")) heads = config.KeyValueHeads;
        else return tensor;
        var shape = tensor.shape;
        long[] split = [heads, 2, config.HeadDim / 2, .. shape[1..]];
        return tensor.reshape(split).transpose(1, 2).reshape(shape);
    }

    /// <summary>
    /// Llama 3 rope scaling as llama.cpp takes it: a rope_freqs tensor of per-pair divisors of the base frequencies,
    /// derived from the same frequencies Rlpt's rotary embedding uses.
    /// </summary>
    private static Tensor RopeFrequencyFactors(ModelConfig config)
    {
        var unscaled = RotaryEmbedding.InverseFrequencies(config, scaled: false);
        var scaled = RotaryEmbedding.InverseFrequencies(config);
        return tensor(unscaled.Zip(scaled, (u, s) => (float)(u / s)).ToArray());
    }
}
