using static TorchSharp.torch;

namespace Rlpt.Interop.HuggingFace;

/// <summary>Any module's state dict as one safetensors file, loaded back only at exactly the shapes the module has.</summary>
public static class ModuleWeights
{
    public static void Save(nn.Module module, string path)
    {
        using var scope = NewDisposeScope();
        SafeTensors.Save(path, module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu()), new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>Copies every tensor of the file into the module; <paramref name="what"/> names the module in errors.</summary>
    public static void Load(nn.Module module, string path, string what)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{what}: {path} does not exist.", path);
        using var scope = NewDisposeScope();
        var saved = SafeTensors.Load(path);
        using var guard = no_grad();
        foreach (var (key, target) in module.state_dict())
        {
            if (!saved.TryGetValue(key, out var tensor) || !tensor.shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"{path}: '{key}' is missing or has another shape than {what} has.");
            target.copy_(tensor); // converts the dtype if the file's differs
        }
    }
}
