using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rlpt.Modeling;

/// <summary>
/// A decoder-only transformer of the Llama/Qwen family, read and written as a Hugging Face <c>config.json</c>.
/// Property names are Hugging Face's, so the file loads in transformers and vLLM unchanged.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>llama, qwen2 (q/k/v biases) or qwen3 (QK-norm).</summary>
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";
    [JsonPropertyName("architectures")] public IReadOnlyList<string>? Architectures { get; init; }
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 4096;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 256;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 688;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 4;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 4;
    /// <summary>Grouped-query attention: the number of key/value heads (defaults to the attention heads).</summary>
    [JsonPropertyName("num_key_value_heads")] public int? NumKeyValueHeads { get; init; }
    /// <summary>Qwen3 sets this explicitly; otherwise hidden_size / num_attention_heads.</summary>
    [JsonPropertyName("head_dim")] public int? HeadDimOverride { get; init; }
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 1024;
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-5;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;
    [JsonPropertyName("rope_scaling")] public RopeScaling? RopeScaling { get; init; }
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }
    /// <summary>Biases on q/k/v projections (Qwen2 has them; its config omits the key, so null means "by model type").</summary>
    [JsonPropertyName("attention_bias")] public bool? AttentionBiasOverride { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }
    [JsonPropertyName("eos_token_id")] public JsonElement? EosTokenIdRaw { get; init; }
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; init; }
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;

    [JsonIgnore] public int KeyValueHeads => NumKeyValueHeads ?? NumAttentionHeads;
    [JsonIgnore] public int HeadDim => HeadDimOverride ?? HiddenSize / NumAttentionHeads;
    [JsonIgnore] public bool UsesQkNorm => ModelType == "qwen3";
    [JsonIgnore] public bool AttentionBias => AttentionBiasOverride ?? ModelType == "qwen2";

    /// <summary>End-of-sequence ids: Hugging Face allows a single id or a list.</summary>
    [JsonIgnore]
    public IReadOnlyList<int> EosTokenIds => EosTokenIdRaw switch
    {
        { ValueKind: JsonValueKind.Number } e => [e.GetInt32()],
        { ValueKind: JsonValueKind.Array } e => e.EnumerateArray().Select(x => x.GetInt32()).ToArray(),
        _ => [],
    };

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Fills in what Hugging Face expects to find and checks the shapes are consistent.</summary>
    public ModelConfig Normalized(IReadOnlyList<int>? eosTokenIds = null)
    {
        var architecture = ModelType switch
        {
            "llama" => "LlamaForCausalLM",
            "qwen2" => "Qwen2ForCausalLM",
            "qwen3" => "Qwen3ForCausalLM",
            _ => throw new InvalidDataException($"model_type '{ModelType}' is not supported (llama, qwen2, qwen3)."),
        };
        var eos = eosTokenIds is { Count: > 0 } ? JsonSerializer.SerializeToElement(eosTokenIds.Count == 1 ? (object)eosTokenIds[0] : eosTokenIds) : EosTokenIdRaw;
        var result = this with { Architectures = [architecture], NumKeyValueHeads = KeyValueHeads, EosTokenIdRaw = eos };
        result.Validate();
        return result;
    }

    public void Validate()
    {
        void Require(bool ok, string message) { if (!ok) throw new InvalidDataException("config.json: " + message); }
        Require(ModelType is "llama" or "qwen2" or "qwen3", $"model_type '{ModelType}' is not supported (llama, qwen2, qwen3).");
        Require(VocabSize > 0 && HiddenSize > 0 && IntermediateSize > 0 && NumHiddenLayers > 0 && NumAttentionHeads > 0, "sizes must be positive.");
        Require(KeyValueHeads > 0 && NumAttentionHeads % KeyValueHeads == 0, $"num_attention_heads ({NumAttentionHeads}) must be a multiple of num_key_value_heads ({KeyValueHeads}).");
        Require(HeadDimOverride is not null || HiddenSize % NumAttentionHeads == 0, $"hidden_size ({HiddenSize}) must be divisible by num_attention_heads ({NumAttentionHeads}).");
        Require(HeadDim % 2 == 0, $"head_dim ({HeadDim}) must be even for rotary embeddings.");
        Require(HiddenAct == "silu", $"hidden_act '{HiddenAct}' is not supported (silu).");
        Require(RopeScaling is null || RopeScaling.RopeType is "llama3" or "default", $"rope_scaling type '{RopeScaling?.RopeType}' is not supported (llama3).");
    }

    /// <summary>
    /// Refuses a shape whose fp32 weights would not fit in this machine's memory, before anything is allocated: a
    /// config.json with an absurd size (hidden_size 1e9) must be a clear error, not an allocator failure or the OOM killer.
    /// </summary>
    public void CheckFitsInMemory(string source)
    {
        double parameters = Parameters(), bytes = 4 * parameters, available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available)
            throw new InvalidDataException($"{source}: this shape has {parameters:G3} parameters ({bytes / (1L << 30):F1} GiB in fp32), more than this machine's {available / (double)(1L << 30):F1} GiB of memory.");
    }

    public static ModelConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"config.json not found: {path}", path);
        ModelConfig? config;
        try { config = JsonSerializer.Deserialize<ModelConfig>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: invalid JSON ({e.Message})", e); }
        if (config is null) throw new InvalidDataException($"{path}: empty config.");
        config.Validate();
        return config;
    }

    public void Save(string path) => IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Parameters, counting a tied embedding once.</summary>
    [JsonIgnore]
    public long ParameterCount => (long)Parameters();

    /// <summary>The parameter count in floating point, which cannot overflow for an absurd config (exact below 2^53).</summary>
    private double Parameters()
    {
        double d = HiddenSize, q = (double)NumAttentionHeads * HeadDim, kv = (double)KeyValueHeads * HeadDim;
        double attention = d * q + 2 * d * kv + q * d + (AttentionBias ? q + 2 * kv : 0) + (UsesQkNorm ? 2.0 * HeadDim : 0);
        double layer = attention + 3 * d * IntermediateSize + 2 * d;
        return NumHiddenLayers * layer + VocabSize * d * (TieWordEmbeddings ? 1 : 2) + d;
    }
}

/// <summary>Llama 3.1+'s frequency-dependent rotary scaling.</summary>
public sealed record RopeScaling
{
    [JsonPropertyName("rope_type")] public string RopeType { get; init; } = "default";
    [JsonPropertyName("factor")] public double Factor { get; init; } = 1.0;
    [JsonPropertyName("low_freq_factor")] public double LowFreqFactor { get; init; } = 1.0;
    [JsonPropertyName("high_freq_factor")] public double HighFreqFactor { get; init; } = 4.0;
    [JsonPropertyName("original_max_position_embeddings")] public int OriginalMaxPositionEmbeddings { get; init; } = 8192;
}
