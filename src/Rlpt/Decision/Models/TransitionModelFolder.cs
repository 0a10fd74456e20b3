using Rlpt.Interop.HuggingFace;
using Rlpt.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Models;

/// <summary>A <see cref="TransitionTransformer"/> saved as config.json (shape and task family) plus model.safetensors.</summary>
public sealed class TransitionModelFolder(TransitionTransformer model) : ITrainedModel
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";

    public nn.Module Module => model;

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        model.Config.Save(Path.Combine(directory, ConfigFile));
        using var scope = NewDisposeScope();
        SafeTensors.Save(Path.Combine(directory, WeightsFile), model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu()),
            new Dictionary<string, string> { ["format"] = "pt" });
    }

    public void Load(string directory)
    {
        var config = TransitionTransformerConfig.Load(Path.Combine(directory, ConfigFile));
        if (config != model.Config) throw new InvalidDataException($"{directory}: its config.json describes a different model than this run's.");
        LoadWeights(model, directory);
    }

    /// <summary>Loads a model folder onto a device.</summary>
    public static TransitionTransformer Open(string directory, Device device)
    {
        var model = new TransitionTransformer(TransitionTransformerConfig.Load(Path.Combine(directory, ConfigFile)));
        LoadWeights(model, directory);
        model.to(device);
        model.eval();
        return model;
    }

    private static void LoadWeights(TransitionTransformer model, string directory)
    {
        var path = Path.Combine(directory, WeightsFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory} has no {WeightsFile}.", path);
        using var scope = NewDisposeScope();
        var saved = SafeTensors.Load(path, ScalarType.Float32);
        using var guard = no_grad();
        foreach (var (key, target) in model.state_dict())
        {
            if (!saved.TryGetValue(key, out var tensor) || !tensor.shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"{path}: '{key}' is missing or has another shape than the config describes.");
            target.copy_(tensor);
        }
    }
}
