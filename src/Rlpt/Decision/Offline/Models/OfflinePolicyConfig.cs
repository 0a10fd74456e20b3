using System.Text.Json;
using System.Text.Json.Serialization;
using Rlpt.Decision.Environments.Control;

namespace Rlpt.Decision.Offline.Models;

/// <summary>What rebuilds a trained offline policy: its algorithm, the networks' shape and the task's spaces (config.json).</summary>
public sealed record OfflinePolicyConfig
{
    public const string ModelType = "rlpt-offline-policy";

    [JsonPropertyName("model_type")] public string Type { get; init; } = ModelType;
    [JsonPropertyName("algorithm")] public string Algorithm { get; init; } = "";
    /// <summary>The Gymnasium id the data came from ("" when unknown).</summary>
    [JsonPropertyName("environment")] public string Environment { get; init; } = "";
    [JsonPropertyName("observation_size")] public int ObservationSize { get; init; }
    [JsonPropertyName("discrete")] public bool Discrete { get; init; }
    /// <summary>Floats per action (1 for a discrete index).</summary>
    [JsonPropertyName("action_size")] public int ActionSize { get; init; }
    [JsonPropertyName("action_count")] public int ActionCount { get; init; }
    [JsonPropertyName("action_low")] public float ActionLow { get; init; }
    [JsonPropertyName("action_high")] public float ActionHigh { get; init; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 256;
    [JsonPropertyName("num_layers")] public int NumLayers { get; init; } = 2;

    [JsonIgnore] public ActionSpace Actions => Discrete ? ActionSpace.OfCount(ActionCount) : ActionSpace.Box(ActionSize, ActionLow, ActionHigh);

    public static OfflinePolicyConfig For(string algorithm, string environment, int observationSize, ActionSpace actions, int hiddenSize, int numLayers) => new()
    {
        Algorithm = algorithm,
        Environment = environment,
        ObservationSize = observationSize,
        Discrete = actions.Discrete,
        ActionSize = actions.Size,
        ActionCount = actions.Count,
        ActionLow = actions.Low,
        ActionHigh = actions.High,
        HiddenSize = hiddenSize,
        NumLayers = numLayers,
    };

    public void Validate()
    {
        if (Type != ModelType) throw new InvalidDataException($"config.json: model_type '{Type}' is not an {ModelType}.");
        if (ObservationSize < 1 || ActionSize < 1 || HiddenSize < 1 || NumLayers < 1) throw new InvalidDataException("config.json: observation_size, action_size, hidden_size and num_layers must be positive.");
        if (Discrete && (ActionSize != 1 || ActionCount < 2)) throw new InvalidDataException($"config.json: a discrete policy has action_size 1 and at least 2 actions (got {ActionSize}, {ActionCount}).");
        if (!Discrete && !(ActionLow < ActionHigh)) throw new InvalidDataException($"config.json: action_low ({ActionLow}) must be below action_high ({ActionHigh}).");
        Algorithms.OfflineAlgorithms.Check(Algorithm);
    }

    /// <summary>Refuses an environment whose observations or actions this policy was not built for.</summary>
    public void CheckFits(IControlEnvironment environment)
    {
        if (environment.ObservationSize != ObservationSize || environment.Actions != Actions)
            throw new ArgumentException($"this {Algorithm} policy takes {ObservationSize} observations and {(Discrete ? $"{ActionCount} actions" : $"{ActionSize} action values")}; {environment.Id} does not match.");
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Save(string path) => IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static OfflinePolicyConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no config.json in {Path.GetDirectoryName(path)}: not a policy folder.", path);
        OfflinePolicyConfig? config;
        try { config = JsonSerializer.Deserialize<OfflinePolicyConfig>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: invalid JSON ({e.Message})", e); }
        if (config is null) throw new InvalidDataException($"{path}: empty config.");
        config.Validate();
        return config;
    }
}
