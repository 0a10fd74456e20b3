using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Rlpt.Training.Runs;

/// <summary>trainer_state.json: the step, the algorithm that wrote the checkpoint and that algorithm's own state.</summary>
public sealed record RunState
{
    public const string FileName = "trainer_state.json";

    /// <summary>Training steps completed.</summary>
    [JsonPropertyName("global_step")] public int GlobalStep { get; init; }
    [JsonPropertyName("algorithm")] public string Algorithm { get; init; } = "";
    [JsonPropertyName("state")] public JsonObject State { get; init; } = [];

    public void Save(string path) => IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));

    public static RunState Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint has no {FileName}: {Path.GetDirectoryName(path)}", path);
        try
        {
            return JsonSerializer.Deserialize<RunState>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path}: empty trainer state.");
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: invalid JSON ({e.Message})", e); }
    }

    /// <summary>Serialises an algorithm's state record into the JSON object stored here.</summary>
    public static JsonObject ToJson<T>(T state) => JsonSerializer.SerializeToNode(state)!.AsObject();

    public static T FromJson<T>(JsonObject state, string what) =>
        state.Deserialize<T>() ?? throw new InvalidDataException($"checkpoint holds no {what} state.");
}
