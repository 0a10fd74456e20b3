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
        ModuleWeights.Save(model, Path.Combine(directory, WeightsFile));
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

    private static void LoadWeights(TransitionTransformer model, string directory) =>
        ModuleWeights.Load(model, Path.Combine(directory, WeightsFile), "the model its config.json describes");
}
