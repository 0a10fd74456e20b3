using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rlpt.IO;
using TorchSharp;

namespace Rlpt.Interop.HuggingFace;

/// <summary>
/// Reads and writes the Hugging Face safetensors format: an 8-byte little-endian header length, a JSON header
/// padded with spaces to a multiple of 8 bytes, then the raw little-endian tensor data.
/// </summary>
public static class SafeTensors
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    /// <summary>Writes <paramref name="tensors"/> in name order, atomically replacing any existing file.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        EnsureLittleEndian();

        var names = tensors.Keys.Order(StringComparer.Ordinal).ToArray();
        var infos = new List<SafeTensorInfo>(names.Length);
        long offset = 0;
        foreach (var name in names)
        {
            if (name == SafeTensorsHeader.MetadataKey)
                throw new ArgumentException($"'{SafeTensorsHeader.MetadataKey}' is reserved and cannot name a tensor.", nameof(tensors));
            var tensor = tensors[name];
            if (!SafeTensorsDType.TryGetName(tensor.dtype, out var dtype))
                throw new ArgumentException($"Tensor '{name}' has dtype {tensor.dtype}, which safetensors saving does not support.", nameof(tensors));
            var length = tensor.NumberOfElements * tensor.ElementSize;
            infos.Add(new SafeTensorInfo(name, dtype, tensor.dtype, tensor.shape, offset, offset + length));
            offset += length;
        }

        var header = SafeTensorsHeader.Build(infos, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var name in names)
                WriteData(stream, tensors[name]);
        });
    }

    /// <summary>
    /// Writes a checkpoint folder as Hugging Face does: one <c>model.safetensors</c>, or, when the tensors exceed
    /// <paramref name="maxShardBytes"/>, shards <c>model-00001-of-0000N.safetensors</c> of at most that size (a larger
    /// tensor gets a shard of its own) and <c>model.safetensors.index.json</c>. Weight files of the other layout are
    /// removed, because a loader finding both would read the stale ones.
    /// </summary>
    public static void SaveFolder(string folder, IReadOnlyDictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null, long? maxShardBytes = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (maxShardBytes is <= 0) throw new ArgumentOutOfRangeException(nameof(maxShardBytes), "the shard size must be positive.");
        Directory.CreateDirectory(folder);
        static long Bytes(torch.Tensor t) => t.NumberOfElements * t.ElementSize;
        var shards = new List<List<string>> { new() };
        long shardBytes = 0;
        foreach (var name in tensors.Keys.Order(StringComparer.Ordinal))
        {
            var bytes = Bytes(tensors[name]);
            if (maxShardBytes is { } max && shards[^1].Count > 0 && shardBytes + bytes > max)
            {
                shards.Add([]);
                shardBytes = 0;
            }
            shards[^1].Add(name);
            shardBytes += bytes;
        }

        var single = Path.Combine(folder, SingleFileName);
        var index = Path.Combine(folder, IndexFileName);
        var files = shards.Count == 1 ? [SingleFileName] : shards.Select((_, i) => $"model-{i + 1:00000}-of-{shards.Count:00000}.safetensors").ToArray();
        for (var i = 0; i < shards.Count; i++)
            Save(Path.Combine(folder, files[i]), shards[i].ToDictionary(n => n, n => tensors[n], StringComparer.Ordinal), metadata);
        if (shards.Count == 1)
        {
            File.Delete(index);
        }
        else
        {
            var weightMap = new JsonObject();
            for (var i = 0; i < shards.Count; i++)
                foreach (var name in shards[i]) weightMap[name] = files[i];
            var indexJson = new JsonObject
            {
                ["metadata"] = new JsonObject { ["total_size"] = tensors.Values.Sum(Bytes) },
                ["weight_map"] = weightMap,
            };
            AtomicFile.WriteAllText(index, indexJson.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            File.Delete(single);
        }
        foreach (var stale in Directory.EnumerateFiles(folder, "model-*-of-*.safetensors"))
            if (!files.Contains(Path.GetFileName(stale))) File.Delete(stale);
    }

    /// <summary>Opens a file and validates its header without reading tensor data. Dispose the result.</summary>
    public static SafeTensorsFile Open(string path)
    {
        EnsureLittleEndian();
        return SafeTensorsFile.Open(path);
    }

    /// <summary>Reads every tensor of a file; see <see cref="SafeTensorsFile.Read"/> for how <paramref name="convertTo"/> applies.</summary>
    public static Dictionary<string, torch.Tensor> Load(string path, torch.ScalarType? convertTo = null)
    {
        using var file = Open(path);
        var result = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var info in file.Tensors)
                result.Add(info.Name, file.Read(info.Name, convertTo));
            return result;
        }
        catch
        {
            DisposeAll(result);
            throw;
        }
    }

    /// <summary>Reads the weight_map of a sharded checkpoint's index: tensor name to shard file name.</summary>
    public static IReadOnlyDictionary<string, string> ReadShardIndex(string indexJsonPath)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(indexJsonPath));
        }
        catch (JsonException e)
        {
            throw InvalidIndex(indexJsonPath, $"not valid JSON ({e.Message})");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("weight_map", out var weightMap)
                || weightMap.ValueKind != JsonValueKind.Object)
                throw InvalidIndex(indexJsonPath, "no 'weight_map' object");

            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in weightMap.EnumerateObject())
            {
                var shard = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : "";
                // Shards must sit next to the index; a path here would let the index point anywhere.
                if (shard.Length == 0 || Path.GetFileName(shard) != shard)
                    throw InvalidIndex(indexJsonPath, $"tensor '{entry.Name}' maps to '{entry.Value}', which is not a plain file name");
                if (!map.TryAdd(entry.Name, shard))
                    throw InvalidIndex(indexJsonPath, $"weight_map lists '{entry.Name}' twice");
            }
            return map;
        }
    }

    /// <summary>
    /// Loads a checkpoint folder: <c>model.safetensors</c> if present, otherwise every tensor named in
    /// <c>model.safetensors.index.json</c> from its shard.
    /// </summary>
    public static Dictionary<string, torch.Tensor> LoadFolder(string folder, torch.ScalarType? convertTo = null)
    {
        var single = Path.Combine(folder, SingleFileName);
        if (File.Exists(single))
            return Load(single, convertTo);

        var index = Path.Combine(folder, IndexFileName);
        if (!File.Exists(index))
            throw new FileNotFoundException($"Folder '{folder}' has neither {SingleFileName} nor {IndexFileName}.", index);

        var shards = ReadShardIndex(index)
            .GroupBy(p => p.Value, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToArray();
        foreach (var shard in shards)
        {
            var shardPath = Path.Combine(folder, shard.Key);
            if (!File.Exists(shardPath))
                throw new FileNotFoundException($"Shard '{shard.Key}' listed in '{index}' is missing.", shardPath);
        }

        var result = new Dictionary<string, torch.Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var shard in shards)
            {
                using var file = Open(Path.Combine(folder, shard.Key));
                foreach (var (name, _) in shard)
                {
                    if (!file.Contains(name))
                        throw InvalidIndex(index, $"maps '{name}' to '{shard.Key}', but that shard has no such tensor");
                    result.Add(name, file.Read(name, convertTo));
                }
            }
            return result;
        }
        catch
        {
            DisposeAll(result);
            throw;
        }
    }

    /// <summary>Writes a tensor's raw little-endian bytes in chunks (GGUF export writes its data this way too).</summary>
    internal static void WriteData(Stream stream, torch.Tensor tensor)
    {
        using var scope = torch.NewDisposeScope();
        var source = tensor.cpu().contiguous();
        var count = source.NumberOfElements;
        if (count == 0)
            return;
        var flat = source.view(-1);
        var perChunk = Math.Max(1, SafeTensorsFile.ChunkBytes / source.ElementSize);
        for (long start = 0; start < count; start += perChunk)
        {
            using var slice = flat.narrow(0, start, Math.Min(perChunk, count - start));
            stream.Write(slice.bytes);
        }
    }

    private static InvalidDataException InvalidIndex(string path, string problem) =>
        new($"Invalid safetensors index '{path}': {problem}.");

    private static void DisposeAll(Dictionary<string, torch.Tensor> tensors)
    {
        foreach (var tensor in tensors.Values)
            tensor.Dispose();
    }

    private static void EnsureLittleEndian()
    {
        // The format and our byte copies are little-endian; a big-endian host would need byte swapping.
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Safetensors I/O needs a little-endian machine.");
    }
}
