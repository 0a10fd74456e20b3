using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rlpt.Training;

/// <summary>Everything besides weights and optimizer moments that an exact resume needs (trainer_state.json).</summary>
public sealed record TrainerState
{
    public const string FileName = "trainer_state.json";

    /// <summary>Optimizer steps completed.</summary>
    [JsonPropertyName("global_step")] public int GlobalStep { get; init; }
    [JsonPropertyName("data_epoch")] public int DataEpoch { get; init; }
    [JsonPropertyName("data_index")] public int DataIndex { get; init; }
    [JsonPropertyName("tokens_seen")] public long TokensSeen { get; init; }
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("best_val_loss")] public double? BestValidationLoss { get; init; }
    /// <summary>RL: prompts drawn so far by the task sampler (its whole state).</summary>
    [JsonPropertyName("task_sampler_drawn")] public long TaskSamplerDrawn { get; init; }

    public void Save(string path) => IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));

    public static TrainerState Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint has no {FileName}: {Path.GetDirectoryName(path)}", path);
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path}: empty trainer state.");
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: invalid JSON ({e.Message})", e); }
    }
}
