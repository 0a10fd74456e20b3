using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rlpt.Interop;

/// <summary>Reads and writes Hugging Face's <c>generation_config.json</c>.</summary>
public static class GenerationConfigFile
{
    public const string FileName = "generation_config.json";

    public static GenerationDefaults Read(string path)
    {
        var root = HfJson.ReadObject(path);
        return new GenerationDefaults
        {
            EosTokenIds = root["eos_token_id"] switch
            {
                null => [],
                JsonArray ids => ids.Select(id => HfJson.Int(path, "eos_token_id", id) ?? throw HfJson.Invalid(path, "eos_token_id", "an integer or a list of integers")).ToArray(),
                var id => [HfJson.Int(path, "eos_token_id", id)!.Value],
            },
            BosTokenId = HfJson.Int(path, "bos_token_id", root["bos_token_id"]),
            PadTokenId = HfJson.Int(path, "pad_token_id", root["pad_token_id"]),
            DoSample = HfJson.Bool(path, "do_sample", root["do_sample"]),
            Temperature = HfJson.Double(path, "temperature", root["temperature"]),
            TopP = HfJson.Double(path, "top_p", root["top_p"]),
            TopK = HfJson.Int(path, "top_k", root["top_k"]),
            MaxNewTokens = HfJson.Int(path, "max_new_tokens", root["max_new_tokens"]),
        };
    }

    public static void Write(string path, GenerationDefaults defaults)
    {
        var root = new JsonObject
        {
            ["bos_token_id"] = defaults.BosTokenId,
            ["eos_token_id"] = defaults.EosTokenIds.Count == 1 ? defaults.EosTokenIds[0] : new JsonArray([.. defaults.EosTokenIds.Select(id => (JsonNode?)id)]),
            ["pad_token_id"] = defaults.PadTokenId,
        };
        if (defaults.DoSample is { } sample) root["do_sample"] = sample;
        if (defaults.Temperature is { } temperature) root["temperature"] = temperature;
        if (defaults.TopP is { } topP) root["top_p"] = topP;
        if (defaults.TopK is { } topK) root["top_k"] = topK;
        if (defaults.MaxNewTokens is { } maxNewTokens) root["max_new_tokens"] = maxNewTokens;
        IO.AtomicFile.WriteAllText(path, root.ToJsonString(HfJson.Indented));
    }
}
