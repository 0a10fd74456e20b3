using System.Text.Json;
using System.Text.Json.Serialization;
using Rlpt.Decision.Environments;
using Rlpt.Modeling;

namespace Rlpt.Decision.Models;

/// <summary>
/// The shape of a <see cref="TransitionTransformer"/> and the task family it was trained for, saved as config.json.
/// Defaults are DPT's (Lee et al. 2023): embedding 32, 4 layers, 4 heads.
/// </summary>
public sealed record TransitionTransformerConfig
{
    public const string ModelType = "transition_transformer";

    [JsonPropertyName("model_type")] public string Type { get; init; } = ModelType;
    /// <summary>Floats per input token (DPT: observation, one-hot action, next observation, reward).</summary>
    [JsonPropertyName("input_size")] public int InputSize { get; init; }
    [JsonPropertyName("action_count")] public int ActionCount { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 32;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 128;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 4;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 4;
    /// <summary>Longest token sequence (context plus query).</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 128;
    [JsonPropertyName("method")] public string Method { get; init; } = "dpt";
    [JsonPropertyName("environment")] public TaskFamily Environment { get; init; } = new();

    /// <summary>The decoder body's shape (Modeling's Llama blocks; no token embeddings, so the vocabulary is unused).</summary>
    public ModelConfig Decoder => new()
    {
        VocabSize = 1,
        HiddenSize = HiddenSize,
        IntermediateSize = IntermediateSize,
        NumHiddenLayers = NumHiddenLayers,
        NumAttentionHeads = NumAttentionHeads,
        MaxPositionEmbeddings = MaxPositionEmbeddings,
    };

    public void Validate()
    {
        if (Type != ModelType) throw new InvalidDataException($"config.json: model_type '{Type}' is not a {ModelType} (is this a language model folder?).");
        if (InputSize < 1 || ActionCount < 2) throw new InvalidDataException($"config.json: input_size ({InputSize}) must be positive and action_count ({ActionCount}) at least 2.");
        Decoder.Validate();
        Environment.Validate();
    }

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public void Save(string path) => IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static TransitionTransformerConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no config.json in {Path.GetDirectoryName(path)}: not a model folder.", path);
        TransitionTransformerConfig? config;
        try { config = JsonSerializer.Deserialize<TransitionTransformerConfig>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: invalid JSON ({e.Message})", e); }
        if (config is null) throw new InvalidDataException($"{path}: empty config.");
        config.Validate();
        return config;
    }
}
