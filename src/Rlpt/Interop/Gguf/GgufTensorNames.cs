using System.Text.RegularExpressions;

namespace Rlpt.Interop.Gguf;

/// <summary>Hugging Face checkpoint names (what <c>CausalLM.state_dict()</c> holds) to llama.cpp's GGUF tensor names.</summary>
public static partial class GgufTensorNames
{
    private static readonly Dictionary<string, string> Global = new(StringComparer.Ordinal)
    {
        ["model.embed_tokens"] = "token_embd",
        ["model.norm"] = "output_norm",
        ["lm_head"] = "output",
    };

    private static readonly Dictionary<string, string> PerLayer = new(StringComparer.Ordinal)
    {
        ["input_layernorm"] = "attn_norm",
        ["self_attn.q_proj"] = "attn_q",
        ["self_attn.k_proj"] = "attn_k",
        ["self_attn.v_proj"] = "attn_v",
        ["self_attn.o_proj"] = "attn_output",
        ["self_attn.q_norm"] = "attn_q_norm",
        ["self_attn.k_norm"] = "attn_k_norm",
        ["post_attention_layernorm"] = "ffn_norm",
        ["mlp.gate_proj"] = "ffn_gate",
        ["mlp.up_proj"] = "ffn_up",
        ["mlp.down_proj"] = "ffn_down",
    };

    /// <summary>The GGUF name, e.g. model.layers.3.self_attn.q_proj.bias → blk.3.attn_q.bias.</summary>
    public static string FromHuggingFace(string name)
    {
        int dot = name.LastIndexOf('.');
        if (dot > 0)
        {
            string module = name[..dot], suffix = name[dot..];
            if (Global.TryGetValue(module, out var global)) return global + suffix;
            var layer = LayerModule().Match(module);
            if (layer.Success && PerLayer.TryGetValue(layer.Groups[2].Value, out var inLayer))
                return $"blk.{layer.Groups[1].Value}.{inLayer}{suffix}";
        }
        throw new NotSupportedException($"tensor '{name}' has no GGUF name.");
    }

    [GeneratedRegex(@"^model\.layers\.(\d+)\.(.+)$")]
    private static partial Regex LayerModule();
}
