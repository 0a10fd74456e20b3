using Rlpt.Decision.Offline.Algorithms;
using Rlpt.Decision.Offline.Training;
using Rlpt.Interop.HuggingFace;
using Rlpt.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.Models;

/// <summary>A trained offline algorithm saved as config.json (<see cref="OfflinePolicyConfig"/>) plus model.safetensors (every network, targets and observation scaler included).</summary>
public sealed class OfflinePolicyFolder(OfflinePolicyConfig config, IOfflineAlgorithm algorithm) : ITrainedModel
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";

    public nn.Module Module => algorithm.Module;

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        config.Save(Path.Combine(directory, ConfigFile));
        ModuleWeights.Save(algorithm.Module, Path.Combine(directory, WeightsFile));
    }

    public void Load(string directory)
    {
        if (OfflinePolicyConfig.Load(Path.Combine(directory, ConfigFile)) != config)
            throw new InvalidDataException($"{directory}: its config.json describes a different policy than this run's.");
        ModuleWeights.Load(algorithm.Module, Path.Combine(directory, WeightsFile), $"a {config.Algorithm} policy of this shape");
    }

    /// <summary>Loads a policy folder for acting (evaluation mode) on a device.</summary>
    public static (OfflinePolicyConfig Config, IOfflineAlgorithm Algorithm) Open(string directory, Device device)
    {
        var config = OfflinePolicyConfig.Load(Path.Combine(directory, ConfigFile));
        var algorithm = OpenAs(directory, config, new OfflineTrainingConfig { Algorithm = config.Algorithm }, device);
        algorithm.Module.eval();
        return (config, algorithm);
    }

    /// <summary>
    /// Loads a folder's weights into an algorithm built from <paramref name="shape"/>, which may name another algorithm
    /// with the same networks: CQL and Cal-QL continue as SAC, discrete CQL as double DQN (online fine-tuning).
    /// </summary>
    public static IOfflineAlgorithm OpenAs(string directory, OfflinePolicyConfig shape, OfflineTrainingConfig hyperparameters, Device device)
    {
        var algorithm = OfflineAlgorithms.Create(shape, hyperparameters);
        ModuleWeights.Load(algorithm.Module, Path.Combine(directory, WeightsFile), $"a {shape.Algorithm} policy of this shape");
        algorithm.Module.to(device.type, device.index);
        return algorithm;
    }
}
