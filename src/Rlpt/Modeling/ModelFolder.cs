using System.Text.Json;
using System.Text.Json.Nodes;
using Rlpt.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Modeling;

/// <summary>
/// A model in Hugging Face layout: <c>config.json</c>, <c>model.safetensors</c> (or shards with an index),
/// <c>tokenizer.json</c>, <c>generation_config.json</c>. Every Rlpt model is saved this way so transformers
/// and vLLM load it as it is.
/// </summary>
public static class ModelFolder
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string TokenizerFile = "tokenizer.json";
    public const string GenerationConfigFile = "generation_config.json";

    public static void Save(string directory, CausalLM model, Tokenizer tokenizer)
    {
        Directory.CreateDirectory(directory);
        var config = model.Config.Normalized([tokenizer.EndOfTextId]);
        config.Save(Path.Combine(directory, ConfigFile));
        using (var scope = NewDisposeScope())
        {
            var weights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu());
            SafeTensors.Save(Path.Combine(directory, WeightsFile), weights, new Dictionary<string, string> { ["format"] = "pt" });
        }
        tokenizer.Save(Path.Combine(directory, TokenizerFile));
        var generation = new JsonObject
        {
            ["bos_token_id"] = config.BosTokenId,
            ["eos_token_id"] = tokenizer.EndOfTextId,
            ["pad_token_id"] = tokenizer.PadId,
        };
        IO.AtomicFile.WriteAllText(Path.Combine(directory, GenerationConfigFile), generation.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public static (CausalLM Model, Tokenizer Tokenizer) Load(string directory, Device device)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"model folder not found: {directory}");
        var config = ModelConfig.Load(Path.Combine(directory, ConfigFile));
        var tokenizer = Tokenizer.Load(Path.Combine(directory, TokenizerFile));
        var model = new CausalLM(config);
        using (var scope = NewDisposeScope())
            LoadWeights(model, SafeTensors.LoadFolder(directory, ScalarType.Float32), directory);
        model.to(device);
        model.eval();
        return (model, tokenizer);
    }

    /// <summary>Copies checkpoint tensors into the model, naming every missing, unexpected or mis-shaped tensor.</summary>
    public static void LoadWeights(CausalLM model, IReadOnlyDictionary<string, Tensor> weights, string source)
    {
        var expected = model.state_dict();
        // Tied models may still ship lm_head.weight; it is the embedding, so it is safe to ignore.
        var unexpected = weights.Keys.Where(k => !expected.ContainsKey(k) && !(k == "lm_head.weight" && model.Config.TieWordEmbeddings)).ToArray();
        var missing = expected.Keys.Where(k => !weights.ContainsKey(k)).ToArray();
        var misShaped = expected.Where(kv => weights.TryGetValue(kv.Key, out var w) && !w.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key} [{string.Join(",", weights[kv.Key].shape)}] vs model [{string.Join(",", kv.Value.shape)}]").ToArray();
        var problems = new List<string>();
        if (missing.Length > 0) problems.Add("missing " + Summarize(missing));
        if (unexpected.Length > 0) problems.Add("unexpected " + Summarize(unexpected));
        if (misShaped.Length > 0) problems.Add("mis-shaped " + Summarize(misShaped));
        if (problems.Count > 0) throw new InvalidDataException($"{source}: checkpoint does not match config.json: {string.Join("; ", problems)}.");
        using var guard = no_grad();
        foreach (var (name, target) in expected)
            target.copy_(weights[name].to(target.dtype));
    }

    private static string Summarize(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");
}
