using System.Text.Json;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Serving;

/// <summary>The body of SGLang's /update_weights_from_disk, and the checks a folder passes before it may replace the served weights.</summary>
internal sealed record WeightUpdateRequest(string ModelPath, string? WeightVersion)
{
    public static WeightUpdateRequest Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new ArgumentException("the request body must be a JSON object.");
        string? Text(string name)
        {
            if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.String) throw new ArgumentException($"{name} must be a string.");
            try { return v.GetString(); }
            catch (InvalidOperationException) { throw new ArgumentException($"{name} is not valid Unicode text."); }
        }
        var path = Text("model_path");
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("model_path is required.");
        if (Text("load_format") is { } format && format is not ("auto" or "safetensors"))
            throw new NotSupportedException($"load_format '{format}' is not supported; rlpt serve reads safetensors folders.");
        if (root.TryGetProperty("abort_all_requests", out var abort) && abort.ValueKind == JsonValueKind.True)
            throw new NotSupportedException("abort_all_requests is not supported: running requests always finish on the old weights.");
        var version = Text("weight_version");
        if (version is { Length: 0 }) throw new ArgumentException("weight_version must not be empty.");
        return new WeightUpdateRequest(path, version);
    }

    /// <summary>The folder's weights (fp32, on the CPU), refused when its config describes another architecture than the one served.</summary>
    public static Dictionary<string, Tensor> LoadWeights(string folder, ModelConfig served)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"model folder not found: {folder}");
        var config = ModelConfig.Load(Path.Combine(folder, ModelFolder.ConfigFile));
        var differences = Architecture(config).Zip(Architecture(served)).Where(p => p.First.Value != p.Second.Value)
            .Select(p => $"{p.First.Name} {p.First.Value} (served: {p.Second.Value})").ToArray();
        if (differences.Length > 0) throw new InvalidDataException($"{folder} is another architecture than the one served: {string.Join(", ", differences)}.");
        using var scope = NewDisposeScope();
        var weights = SafeTensors.LoadFolder(folder, ScalarType.Float32);
        foreach (var tensor in weights.Values) tensor.DetachFromDisposeScope();
        return new Dictionary<string, Tensor>(weights);
    }

    private static (string Name, string Value)[] Architecture(ModelConfig c) =>
    [
        ("model_type", c.ModelType), ("vocab_size", $"{c.VocabSize}"), ("hidden_size", $"{c.HiddenSize}"), ("intermediate_size", $"{c.IntermediateSize}"),
        ("num_hidden_layers", $"{c.NumHiddenLayers}"), ("num_attention_heads", $"{c.NumAttentionHeads}"), ("num_key_value_heads", $"{c.KeyValueHeads}"),
        ("head_dim", $"{c.HeadDim}"), ("tie_word_embeddings", $"{c.TieWordEmbeddings}"), ("attention_bias", $"{c.AttentionBias}"),
        ("max_position_embeddings", $"{c.MaxPositionEmbeddings}"), ("rope_theta", $"{c.RopeTheta}"), ("rms_norm_eps", $"{c.RmsNormEps}"),
    ];
}
