using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tokenization;

namespace Rlpt.Tests.Reliability;

/// <summary>
/// A corpus of damaged model folders, each a copy of one valid tiny folder with one thing broken: model.safetensors
/// (truncated, zero-length, bit-flipped, header length past the end, a 2 GB header claim, overlapping or out-of-range
/// offsets, unknown dtypes, shape × dtype ≠ bytes, duplicate names, missing tensors), config.json (wrong types,
/// negative, absurd and missing sizes) and tokenizer.json (unknown model type, merges of missing tokens, broken JSON).
/// Seeded, so a failure reproduces.
/// </summary>
internal static class DamagedModelFolders
{
    /// <summary>A valid folder: a 2-layer Llama-shaped model and a trained byte-level BPE tokenizer.</summary>
    public static void WriteValid(string directory)
    {
        var tokenizer = Tokenizer.Train(Enumerable.Repeat("a small model of a small world, saved and loaded again", 10), new BpeTrainerOptions { VocabSize = 290 });
        using var model = new CausalLM(new ModelConfig
        {
            VocabSize = tokenizer.VocabSize, HiddenSize = 16, IntermediateSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 2, MaxPositionEmbeddings = 64, TieWordEmbeddings = true,
        });
        model.InitializeWeights(1);
        ModelFolder.Save(directory, model, tokenizer);
    }

    public static IEnumerable<DamagedInput> All(int bitFlips, int seed)
    {
        const string weights = "model.safetensors", config = "config.json", tokenizer = "tokenizer.json";
        var random = new Random(seed);
        yield return new("zero-length safetensors", d => File.WriteAllBytes(Path.Combine(d, weights), []));
        foreach (var fraction in new[] { 0.001, 0.01, 0.1, 0.5, 0.9, 0.999 })
            yield return new($"safetensors truncated to {fraction:P1}", d => Truncate(Path.Combine(d, weights), fraction));
        yield return new("header length past the end", d => SetHeaderLength(Path.Combine(d, weights), new FileInfo(Path.Combine(d, weights)).Length));
        yield return new("header length claims 2 GB", d => SetHeaderLength(Path.Combine(d, weights), 2L << 30));
        yield return new("header length claims 2^63 - 1", d => SetHeaderLength(Path.Combine(d, weights), long.MaxValue));
        yield return new("header not JSON", d => EditHeader(Path.Combine(d, weights), _ => null, raw: "{\"a\": [1, 2"));
        yield return new("header a JSON array", d => EditHeader(Path.Combine(d, weights), _ => null, raw: "[1, 2, 3]"));
        yield return new("overlapping offsets", d => EditHeader(Path.Combine(d, weights), h => ShiftFirstTensor(h, -4)));
        yield return new("offsets past the data", d => EditHeader(Path.Combine(d, weights), h => ShiftFirstTensor(h, 1 << 20)));
        yield return new("negative offsets", d => EditHeader(Path.Combine(d, weights), h => SetFirstTensor(h, t => t["data_offsets"] = new JsonArray(-8, 0))));
        yield return new("offsets of strings", d => EditHeader(Path.Combine(d, weights), h => SetFirstTensor(h, t => t["data_offsets"] = new JsonArray("0", "4"))));
        yield return new("unknown dtype", d => EditHeader(Path.Combine(d, weights), h => SetFirstTensor(h, t => t["dtype"] = "F7")));
        yield return new("shape × dtype ≠ bytes", d => EditHeader(Path.Combine(d, weights), h => SetFirstTensor(h, t => t["shape"] = new JsonArray(3, 5))));
        yield return new("negative shape", d => EditHeader(Path.Combine(d, weights), h => SetFirstTensor(h, t => t["shape"] = new JsonArray(-1, 16))));
        yield return new("shape overflowing 64 bits", d => EditHeader(Path.Combine(d, weights), h => SetFirstTensor(h, t => t["shape"] = new JsonArray(long.MaxValue, long.MaxValue))));
        yield return new("duplicate tensor names", d => EditHeader(Path.Combine(d, weights), h => null, duplicateFirstKey: true));
        yield return new("a tensor missing", d => EditHeader(Path.Combine(d, weights), h => RemoveFirstTensor(h)));
        for (int i = 0; i < bitFlips; i++)
        {
            int pick = random.Next();
            yield return new($"safetensors header bit flip #{i}", d => FlipHeaderBit(Path.Combine(d, weights), new Random(pick)));
        }
        yield return new("config not JSON", d => File.WriteAllText(Path.Combine(d, config), "{\"hidden_size\": "));
        yield return new("config hidden_size a string", d => EditJson(Path.Combine(d, config), c => c["hidden_size"] = "big"));
        yield return new("config negative layers", d => EditJson(Path.Combine(d, config), c => c["num_hidden_layers"] = -2));
        yield return new("config hidden_size 1e9", d => EditJson(Path.Combine(d, config), c => { c["hidden_size"] = 1_000_000_000; c["intermediate_size"] = 1_000_000_000; c["num_attention_heads"] = 1_000_000; c["num_key_value_heads"] = 1_000_000; }));
        yield return new("config vocab 2e9 × hidden 4096", d => EditJson(Path.Combine(d, config), c => { c["vocab_size"] = 2_000_000_000; c["hidden_size"] = 4096; c["num_attention_heads"] = 32; c["num_key_value_heads"] = 8; }));
        yield return new("config hidden_size beyond int", d => EditJson(Path.Combine(d, config), c => c["hidden_size"] = 1e12));
        yield return new("config heads not dividing hidden", d => EditJson(Path.Combine(d, config), c => c["num_attention_heads"] = 3));
        yield return new("config of another shape", d => EditJson(Path.Combine(d, config), c => c["intermediate_size"] = 48));
        yield return new("config unknown model_type", d => EditJson(Path.Combine(d, config), c => c["model_type"] = "mamba"));
        yield return new("config missing", d => File.Delete(Path.Combine(d, config)));
        yield return new("tokenizer not JSON", d => File.WriteAllText(Path.Combine(d, tokenizer), "{\"model\": {"));
        yield return new("tokenizer unknown model type", d => EditJson(Path.Combine(d, tokenizer), t => t["model"]!["type"] = "Unigram"));
        yield return new("tokenizer merges of missing tokens", d => EditJson(Path.Combine(d, tokenizer), t => t["model"]!["merges"] = new JsonArray("zzq xxw", "qq ww")));
        yield return new("tokenizer vocab not an object", d => EditJson(Path.Combine(d, tokenizer), t => t["model"]!["vocab"] = new JsonArray(1, 2)));
        yield return new("tokenizer ids out of range", d => EditJson(Path.Combine(d, tokenizer), t => t["model"]!["vocab"]!["a"] = 1_000_000_000));
        yield return new("tokenizer missing", d => File.Delete(Path.Combine(d, tokenizer)));
    }

    private static void Truncate(string path, double fraction)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
    }

    private static void SetHeaderLength(string path, long length)
    {
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt64LittleEndian(bytes, length);
        File.WriteAllBytes(path, bytes);
    }

    private static (long Length, byte[] Bytes) Split(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return (BinaryPrimitives.ReadInt64LittleEndian(bytes), bytes);
    }

    /// <summary>Rewrites the JSON header (keeping the data section), through <paramref name="edit"/> or as raw text.</summary>
    private static void EditHeader(string path, Func<JsonObject, JsonObject?> edit, string? raw = null, bool duplicateFirstKey = false)
    {
        var (length, bytes) = Split(path);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)length))!.AsObject();
        string text = raw ?? edit(header)?.ToJsonString() ?? header.ToJsonString();
        if (duplicateFirstKey)
        {
            var first = header.First(p => p.Key != "__metadata__");
            text = "{" + $"\"{first.Key}\": {first.Value!.ToJsonString()}, " + text[1..];
        }
        var newHeader = Encoding.UTF8.GetBytes(text);
        var output = new byte[8 + newHeader.Length + bytes.Length - 8 - length];
        BinaryPrimitives.WriteInt64LittleEndian(output, newHeader.Length);
        newHeader.CopyTo(output, 8);
        Array.Copy(bytes, 8 + length, output, 8 + newHeader.Length, bytes.Length - 8 - length);
        File.WriteAllBytes(path, output);
    }

    private static JsonObject FirstTensor(JsonObject header) => header.First(p => p.Key != "__metadata__").Value!.AsObject();

    private static JsonObject SetFirstTensor(JsonObject header, Action<JsonObject> set)
    {
        set(FirstTensor(header));
        return header;
    }

    private static JsonObject ShiftFirstTensor(JsonObject header, long by) => SetFirstTensor(header, t =>
    {
        var offsets = t["data_offsets"]!.AsArray();
        t["data_offsets"] = new JsonArray((long)offsets[0]! + Math.Max(0, by), (long)offsets[1]! + by);
    });

    private static JsonObject RemoveFirstTensor(JsonObject header)
    {
        header.Remove(header.First(p => p.Key != "__metadata__").Key);
        return header;
    }

    private static void FlipHeaderBit(string path, Random random)
    {
        var (length, bytes) = Split(path);
        int at = 8 + random.Next((int)length);
        bytes[at] ^= (byte)(1 << random.Next(8));
        File.WriteAllBytes(path, bytes);
    }

    private static void EditJson(string path, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }
}
