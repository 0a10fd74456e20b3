using System.Globalization;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using static TorchSharp.torch;

namespace Rlpt.Training;

/// <summary>
/// Training checkpoints under <c>{run}/checkpoints/step-NNNNNNN/</c>: a Hugging Face model folder plus
/// <c>optimizer.safetensors</c> and <c>trainer_state.json</c>. Each is written to a temporary folder and swapped
/// in whole, so an interrupted save never leaves a half-written checkpoint behind.
/// </summary>
public static class Checkpoints
{
    public const string Folder = "checkpoints";
    public const string OptimizerFile = "optimizer.safetensors";
    private const string Prefix = "step-";
    private const string OptimizerStepKey = "step";

    public static string Save(string runDirectory, CausalLM model, Tokenizer tokenizer, AdamW optimizer, TrainerState state, int keep)
    {
        var root = Path.Combine(runDirectory, Folder);
        Directory.CreateDirectory(root);
        var final = Path.Combine(root, Prefix + state.GlobalStep.ToString("D7", CultureInfo.InvariantCulture));
        var temp = Path.Combine(root, ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            ModelFolder.Save(temp, model, tokenizer);
            using (var scope = NewDisposeScope())
                SafeTensors.Save(Path.Combine(temp, OptimizerFile), optimizer.StateTensors().ToDictionary(kv => kv.Key, kv => kv.Value.cpu()),
                    new Dictionary<string, string> { [OptimizerStepKey] = optimizer.Step.ToString(CultureInfo.InvariantCulture) });
            state.Save(Path.Combine(temp, TrainerState.FileName));
            IO.AtomicFile.ReplaceDirectory(temp, final);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
        foreach (var old in List(runDirectory).SkipLast(keep)) Directory.Delete(old, recursive: true);
        return final;
    }

    /// <summary>Complete checkpoints, oldest first.</summary>
    public static IReadOnlyList<string> List(string runDirectory)
    {
        var root = Path.Combine(runDirectory, Folder);
        if (!Directory.Exists(root)) return [];
        return Directory.EnumerateDirectories(root, Prefix + "*")
            .Where(d => File.Exists(Path.Combine(d, TrainerState.FileName)))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    public static string? Latest(string runDirectory) => List(runDirectory).LastOrDefault();

    /// <summary>Restores weights and optimizer moments in place; returns the trainer state.</summary>
    public static TrainerState Restore(string checkpoint, CausalLM model, AdamW optimizer)
    {
        var state = TrainerState.Load(Path.Combine(checkpoint, TrainerState.FileName));
        var config = ModelConfig.Load(Path.Combine(checkpoint, ModelFolder.ConfigFile));
        if (config with { Architectures = null, EosTokenIdRaw = null, NumKeyValueHeads = config.KeyValueHeads } != model.Config with { Architectures = null, EosTokenIdRaw = null, NumKeyValueHeads = model.Config.KeyValueHeads })
            throw new InvalidDataException($"{checkpoint}: its config.json describes a different model than this run's.");
        using var scope = NewDisposeScope();
        var device = model.parameters().First().device;
        ModelFolder.LoadWeights(model, SafeTensors.LoadFolder(checkpoint, ScalarType.Float32), checkpoint);
        var optimizerPath = Path.Combine(checkpoint, OptimizerFile);
        var moments = SafeTensors.Load(optimizerPath).ToDictionary(kv => kv.Key, kv => kv.Value.to(device));
        // The optimizer may step more than once per training step (RL's μ iterations): its own count is stored.
        using var header = SafeTensors.Open(optimizerPath);
        long optimizerStep = header.Metadata.TryGetValue(OptimizerStepKey, out var saved) && long.TryParse(saved, CultureInfo.InvariantCulture, out var parsed) ? parsed : state.GlobalStep;
        optimizer.LoadState(moments, optimizerStep);
        return state;
    }
}
