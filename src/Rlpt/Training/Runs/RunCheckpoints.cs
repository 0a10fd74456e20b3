using System.Globalization;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using static TorchSharp.torch;

namespace Rlpt.Training.Runs;

/// <summary>
/// Checkpoints under <c>{run}/checkpoints/step-NNNNNNN/</c>: the trained model in its folder format (a language model
/// as a Hugging Face folder, so a checkpoint loads like any model), each optimizer's moments (<c>optimizer.safetensors</c> for the policy's,
/// <c>optimizer.{name}.safetensors</c> for others), each further module (<c>modules/{name}.safetensors</c>) and
/// <c>trainer_state.json</c>. Each is written to a temporary folder and swapped in whole, so an interrupted save never
/// leaves a half-written checkpoint behind.
/// </summary>
public static class RunCheckpoints
{
    public const string Folder = "checkpoints";
    public const string OptimizerFile = "optimizer.safetensors";
    public const string ModulesFolder = "modules";
    private const string Prefix = "step-";
    private const string TempPrefix = ".tmp-";
    private const string OptimizerStepKey = "step";
    private const string PolicyOptimizer = "policy";

    public static string Save(string runDirectory, ITrainingAlgorithm algorithm, int globalStep)
    {
        var root = Path.Combine(runDirectory, Folder);
        Directory.CreateDirectory(root);
        // A process killed mid-save (SIGKILL, power loss) leaves its half-written folder behind: one run writes its folder, so any is stale.
        foreach (var stale in Directory.EnumerateDirectories(root, TempPrefix + "*")) Directory.Delete(stale, recursive: true);
        var final = Path.Combine(root, Prefix + globalStep.ToString("D7", CultureInfo.InvariantCulture));
        var temp = Path.Combine(root, TempPrefix + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            algorithm.Model.Save(temp);
            using (var scope = NewDisposeScope())
            {
                foreach (var (name, optimizer) in algorithm.Optimizers)
                    SafeTensors.Save(Path.Combine(temp, OptimizerFileName(name)), optimizer.StateTensors().ToDictionary(kv => kv.Key, kv => kv.Value.cpu()),
                        new Dictionary<string, string> { [OptimizerStepKey] = optimizer.Step.ToString(CultureInfo.InvariantCulture) });
                if (algorithm.Modules.Count > 0) Directory.CreateDirectory(Path.Combine(temp, ModulesFolder));
                foreach (var (name, module) in algorithm.Modules)
                    ModuleWeights.Save(module, ModuleFile(temp, name));
            }
            new RunState { GlobalStep = globalStep, Algorithm = algorithm.Name, State = algorithm.SaveState() }.Save(Path.Combine(temp, RunState.FileName));
            IO.AtomicFile.ReplaceDirectory(temp, final);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException || error is ArgumentException && error.Message.Contains("file", StringComparison.OrdinalIgnoreCase))
        {
            // A full disk or a file-size limit: say what failed and that nothing saved before is harmed (it was written aside).
            var previous = List(runDirectory).LastOrDefault() is { } last ? $"the last checkpoint, {Path.GetFileName(last)}, is intact" : "no checkpoint was saved before";
            throw new IOException($"could not save the checkpoint of step {globalStep} in {root} ({error.Message.TrimEnd('.')}); {previous}. Free some space and --resume.", error);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
        foreach (var old in List(runDirectory).SkipLast(algorithm.Saving.Keep)) Directory.Delete(old, recursive: true);
        return final;
    }

    /// <summary>Complete checkpoints, oldest first.</summary>
    public static IReadOnlyList<string> List(string runDirectory)
    {
        var root = Path.Combine(runDirectory, Folder);
        if (!Directory.Exists(root)) return [];
        return Directory.EnumerateDirectories(root, Prefix + "*")
            .Where(d => File.Exists(Path.Combine(d, RunState.FileName)))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    public static string? Latest(string runDirectory) => List(runDirectory).LastOrDefault();

    /// <summary>Restores weights, modules, optimizer moments and the algorithm's state in place; returns the steps done.</summary>
    public static int Restore(string checkpoint, ITrainingAlgorithm algorithm)
    {
        var state = RunState.Load(Path.Combine(checkpoint, RunState.FileName));
        if (state.Algorithm != algorithm.Name)
            throw new InvalidDataException($"{checkpoint} was written by '{state.Algorithm}', not '{algorithm.Name}': resume it with the algorithm that made it.");
        // The algorithm's state first: it refuses a checkpoint of another objective before any tensor is read.
        algorithm.RestoreState(state.State);
        algorithm.Model.Load(checkpoint);
        using var scope = NewDisposeScope();
        var device = algorithm.Model.Module.parameters().First().device;
        foreach (var (name, module) in algorithm.Modules)
            LoadModule(module, ModuleFile(checkpoint, name), name);
        foreach (var (name, optimizer) in algorithm.Optimizers)
        {
            var path = Path.Combine(checkpoint, OptimizerFileName(name));
            if (!File.Exists(path)) throw new InvalidDataException($"{checkpoint} has no {OptimizerFileName(name)}: it is not a checkpoint of this run.");
            var moments = SafeTensors.Load(path).ToDictionary(kv => kv.Key, kv => kv.Value.to(device));
            // An optimizer may step more than once per training step (RL's μ iterations): its own count is stored.
            using var header = SafeTensors.Open(path);
            long optimizerStep = header.Metadata.TryGetValue(OptimizerStepKey, out var saved) && long.TryParse(saved, CultureInfo.InvariantCulture, out var parsed) ? parsed : state.GlobalStep;
            optimizer.LoadState(moments, optimizerStep);
        }
        return state.GlobalStep;
    }

    private static string OptimizerFileName(string name) => name == PolicyOptimizer ? OptimizerFile : $"optimizer.{name}.safetensors";

    private static string ModuleFile(string checkpoint, string name) => Path.Combine(checkpoint, ModulesFolder, name + ".safetensors");

    private static void LoadModule(nn.Module module, string path, string name)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"checkpoint lacks the '{name}' module ({path}).");
        ModuleWeights.Load(module, path, $"this run's '{name}' module");
    }
}
