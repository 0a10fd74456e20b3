using System.Text.Json;
using Rlpt.Decision.Environments;
using Rlpt.Interop.HuggingFace;
using static TorchSharp.torch;

namespace Rlpt.Decision.InContext;

/// <summary>
/// A dataset of one task family as a safetensors file: named arrays, with the family (JSON) and the dataset's own
/// fields in the metadata. Reading checks that every array is there with exactly the shape the dataset expects, so a
/// truncated or foreign file is refused rather than read half.
/// </summary>
internal sealed class TaskDataFile : IDisposable
{
    private const string EnvironmentKey = "environment";
    private readonly string path;
    private readonly Dictionary<string, Tensor> tensors;

    private TaskDataFile(string path, TaskFamily family, IReadOnlyDictionary<string, string> metadata, Dictionary<string, Tensor> tensors)
    {
        this.path = path;
        Family = family;
        Metadata = metadata;
        this.tensors = tensors;
    }

    public TaskFamily Family { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Writes the arrays (flat, with their shapes) and the metadata, the family included.</summary>
    public static void Save(string path, TaskFamily family, IReadOnlyDictionary<string, string> metadata, params (string Name, Array Values, long[] Shape)[] arrays)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var scope = NewDisposeScope();
        var tensors = arrays.ToDictionary(a => a.Name, a => a.Values switch
        {
            float[] f => tensor(f, a.Shape),
            int[] i => tensor(i, a.Shape),
            _ => throw new ArgumentException($"'{a.Name}': only float and int arrays are stored."),
        });
        SafeTensors.Save(path, tensors, new Dictionary<string, string>(metadata) { [EnvironmentKey] = JsonSerializer.Serialize(family) });
    }

    /// <param name="what">What the file should hold, for errors ("DPT contexts").</param>
    /// <param name="make">The command that makes such a file, for errors.</param>
    public static TaskDataFile Open(string path, string what, string make)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no {what} at {path} (make them with `{make}`).", path);
        IReadOnlyDictionary<string, string> metadata;
        using (var file = SafeTensors.Open(path)) metadata = file.Metadata;
        if (!metadata.TryGetValue(EnvironmentKey, out var environment)) throw new InvalidDataException($"{path}: not a file of {what} (no environment in its metadata).");
        TaskFamily family;
        try { family = JsonSerializer.Deserialize<TaskFamily>(environment) ?? throw new InvalidDataException($"{path}: empty environment."); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: invalid environment ({e.Message}).", e); }
        family.Validate();
        return new TaskDataFile(path, family, metadata, SafeTensors.Load(path));
    }

    /// <summary>A metadata field the dataset needs.</summary>
    public string Field(string key) => Metadata.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"{path}: no '{key}' in its metadata.");

    /// <summary>The shape of an array (it must be there).</summary>
    public long[] Shape(string name) => Get(name).shape;

    public void Read(string name, long[] shape, float[] into)
    {
        using var values = Get(name, shape).to(ScalarType.Float32);
        values.data<float>().CopyTo(into, 0);
    }

    public void Read(string name, long[] shape, int[] into)
    {
        using var values = Get(name, shape).to(ScalarType.Int32);
        values.data<int>().CopyTo(into, 0);
    }

    private Tensor Get(string name, long[]? shape = null)
    {
        if (!tensors.TryGetValue(name, out var value)) throw new InvalidDataException($"{path}: '{name}' is missing.");
        if (shape is not null && !value.shape.SequenceEqual(shape))
            throw new InvalidDataException($"{path}: '{name}' is [{string.Join(", ", value.shape)}], expected [{string.Join(", ", shape)}].");
        return value;
    }

    public void Dispose()
    {
        foreach (var tensor in tensors.Values) tensor.Dispose();
    }
}
