using Rlpt.Interop;
using Rlpt.Modeling;
using Rlpt.Interop.ChatTemplates;
using Rlpt.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Interop.HuggingFace;

/// <summary>
/// A model in Hugging Face layout: <c>config.json</c>, <c>model.safetensors</c> (or shards with an index),
/// <c>tokenizer.json</c>, <c>tokenizer_config.json</c> (with Rlpt's chat template), <c>generation_config.json</c>.
/// Every Rlpt model is saved this way so transformers and vLLM load it as it is, apply_chat_template included.
/// </summary>
public static class ModelFolder
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string TokenizerFile = "tokenizer.json";
    /// <summary>transformers 4.47+ saves the chat template in this file, which then wins over tokenizer_config.json's.</summary>
    public const string ChatTemplateFile = "chat_template.jinja";

    /// <summary>
    /// Writes the model in its current dtype (config.json's torch_dtype says which), in one weights file or, with
    /// <paramref name="maxShardBytes"/>, in shards with an index.
    /// </summary>
    public static void Save(string directory, CausalLM model, Tokenizer tokenizer, long? maxShardBytes = null)
    {
        Directory.CreateDirectory(directory);
        var dtype = model.parameters().First().dtype;
        var config = model.Config.Normalized([tokenizer.EndOfTextId]) with { TorchDtype = TorchDtypeName(dtype) };
        config.Save(Path.Combine(directory, ConfigFile));
        using (var scope = NewDisposeScope())
        {
            var weights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu());
            SafeTensors.SaveFolder(directory, weights, new Dictionary<string, string> { ["format"] = "pt" }, maxShardBytes);
        }
        tokenizer.Save(Path.Combine(directory, TokenizerFile));
        string? TokenText(int? id) => id is >= 0 ? tokenizer.IdToToken(id.Value) : null;
        TokenizerConfigFile.Write(Path.Combine(directory, TokenizerConfigFile.FileName), ChatTemplate.RlptDefault,
            TokenText(config.BosTokenId), TokenText(tokenizer.EndOfTextId), TokenText(tokenizer.PadId), config.MaxPositionEmbeddings);
        GenerationConfigFile.Write(Path.Combine(directory, GenerationConfigFile.FileName),
            new GenerationDefaults { BosTokenId = config.BosTokenId, EosTokenIds = [tokenizer.EndOfTextId], PadTokenId = tokenizer.PadId });
    }

    /// <summary>
    /// The folder's chat template, special tokens and generation defaults. Files that are absent leave defaults:
    /// no template means <see cref="ChatTemplate.RlptDefault"/>.
    /// </summary>
    public static ModelFolderInfo ReadInfo(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"model folder not found: {directory}");
        var tokenizerConfig = Path.Combine(directory, TokenizerConfigFile.FileName);
        var tokens = File.Exists(tokenizerConfig) ? TokenizerConfigFile.Read(tokenizerConfig) : new TokenizerConfigFile.Contents(null, null, null, null);
        var templateFile = Path.Combine(directory, ChatTemplateFile);
        var template = File.Exists(templateFile) ? TokenizerConfigFile.ParseTemplate(templateFile, File.ReadAllText(templateFile)) : tokens.ChatTemplate;
        var generationConfig = Path.Combine(directory, GenerationConfigFile.FileName);
        var generation = File.Exists(generationConfig) ? GenerationConfigFile.Read(generationConfig) : new GenerationDefaults();
        return new ModelFolderInfo(template ?? ChatTemplate.RlptDefault, template is not null, tokens.BosToken, tokens.EosToken, tokens.PadToken, generation);
    }

    private static string TorchDtypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        ScalarType.Float64 => "float64",
        _ => throw new ArgumentException($"model weights of dtype {dtype} cannot be saved for Hugging Face."),
    };

    public static (CausalLM Model, Tokenizer Tokenizer) Load(string directory, Device device)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"model folder not found: {directory}");
        var config = ModelConfig.Load(Path.Combine(directory, ConfigFile));
        config.CheckFitsInMemory(Path.Combine(directory, ConfigFile));
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
