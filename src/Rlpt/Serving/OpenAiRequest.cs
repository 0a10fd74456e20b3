using System.Text.Json;
using Rlpt.Generation;
using Rlpt.Tokenization;

namespace Rlpt.Serving;

/// <summary>
/// The parameters of a chat-completions or completions request, read strictly: a field of the wrong type or out of
/// range is refused with OpenAI's error naming it, rather than silently ignored. A field given as null counts as absent.
/// </summary>
internal sealed record OpenAiRequest(IReadOnlyList<IReadOnlyList<int>> Prompts, SamplingOptions Sampling, int? MaxTokens, int N, bool Stream, bool IncludeUsage)
{
    private static readonly string[] Roles = ["system", "developer", "user", "assistant"];

    public static OpenAiRequest Read(JsonElement root, bool chat, BatchingEngine engine, string modelName)
    {
        if (root.ValueKind != JsonValueKind.Object) throw ApiError.BadRequest("the request body must be a JSON object.");
        var model = String(root, "model") ?? throw ApiError.BadRequest("you must provide a model parameter.", "model");
        if (model != modelName) throw new ApiError(404, $"The model '{model}' does not exist; this server serves '{modelName}'.", "model", "model_not_found");

        IReadOnlyList<IReadOnlyList<int>> prompts = chat ? [engine.EncodeChat(Messages(root))] : [.. Prompt(root).Select(engine.Tokenizer.Encode)];
        var temperature = Number(root, "temperature") ?? 1.0;
        if (temperature < 0 || temperature > 2) throw ApiError.BadRequest($"temperature must be in [0, 2] (got {temperature}).", "temperature");
        var topP = Number(root, "top_p") ?? 1.0;
        if (!(topP > 0 && topP <= 1)) throw ApiError.BadRequest($"top_p must be in (0, 1] (got {topP}).", "top_p");
        // vLLM's convention: -1 (like 0) turns top-k off.
        var topK = Integer(root, "top_k") ?? 0;
        if (topK < -1) throw ApiError.BadRequest($"top_k must be -1, 0 (off) or positive (got {topK}).", "top_k");
        var maxTokensField = root.TryGetProperty("max_completion_tokens", out var m) && m.ValueKind != JsonValueKind.Null ? "max_completion_tokens" : "max_tokens";
        var maxTokens = Integer(root, maxTokensField);
        if (maxTokens < 1) throw ApiError.BadRequest($"{maxTokensField} must be at least 1 (got {maxTokens}).", maxTokensField);
        var n = Integer(root, "n") ?? 1;
        if (n < 1 || n > engine.Options.QueueSize) throw ApiError.BadRequest($"n must be in 1..{engine.Options.QueueSize} (got {n}).", "n");
        var stream = Boolean(root, "stream") ?? false;
        var includeUsage = root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object && (Boolean(so, "include_usage") ?? false);

        var options = new SamplingOptions
        {
            Temperature = temperature, TopP = topP, TopK = Math.Max(0, topK), StopStrings = Stop(root), Seed = Integer(root, "seed"),
        };
        return new OpenAiRequest(prompts, chat ? BatchingEngine.ForChat(options) : options, maxTokens, n, stream, includeUsage);
    }

    /// <summary>n rows per prompt, in OpenAI's choice order; with a seed, choice i samples with seed + i.</summary>
    public IReadOnlyList<GenerationRequest> Rows(BatchingEngine engine) =>
        Prompts.SelectMany(prompt => Enumerable.Range(0, N).Select(i => new GenerationRequest(prompt, Sampling with
        {
            MaxNewTokens = MaxTokens ?? engine.DefaultMaxTokens(prompt.Count),
            Seed = Sampling.Seed is int seed ? unchecked(seed + i) : null,
        }))).ToArray();

    private static List<ChatMessage> Messages(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null)
            throw ApiError.BadRequest("you must provide a messages parameter.", "messages");
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
            throw ApiError.BadRequest("messages must be a non-empty array.", "messages");
        var turns = new List<ChatMessage>();
        foreach (var (message, i) in messages.EnumerateArray().Select((e, i) => (e, i)))
        {
            var param = $"messages[{i}]";
            if (message.ValueKind != JsonValueKind.Object) throw ApiError.BadRequest($"{param} must be an object.", param);
            var role = String(message, "role", param + ".role") ?? throw ApiError.BadRequest($"{param} has no role.", param + ".role");
            if (!Roles.Contains(role)) throw ApiError.BadRequest($"{param}.role '{role}' is not one of {string.Join(", ", Roles)}.", param + ".role");
            // OpenAI's "developer" role is the newer name for "system".
            turns.Add(new ChatMessage(role == "developer" ? ChatFormat.System : role, Content(message, param + ".content")));
        }
        return turns;
    }

    /// <summary>A message's content: a string, or an array of text parts (other part types need a multimodal model).</summary>
    private static string Content(JsonElement message, string param)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null) return "";
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array) throw ApiError.BadRequest($"{param} must be a string or an array of text parts.", param);
        return string.Concat(content.EnumerateArray().Select(part =>
            part.ValueKind == JsonValueKind.Object && String(part, "type", param) == "text"
                ? String(part, "text", param) ?? ""
                : throw ApiError.BadRequest($"{param}: only text parts are supported.", param)));
    }

    private static string[] Prompt(JsonElement root)
    {
        if (!root.TryGetProperty("prompt", out var prompt) || prompt.ValueKind == JsonValueKind.Null)
            throw ApiError.BadRequest("you must provide a prompt parameter.", "prompt");
        string[] prompts = prompt.ValueKind switch
        {
            JsonValueKind.String => [prompt.GetString()!],
            JsonValueKind.Array when prompt.EnumerateArray().All(p => p.ValueKind == JsonValueKind.String) => prompt.EnumerateArray().Select(p => p.GetString()!).ToArray(),
            _ => throw ApiError.BadRequest("prompt must be a string or an array of strings.", "prompt"),
        };
        if (prompts.Length == 0 || prompts.Any(p => p.Length == 0)) throw ApiError.BadRequest("prompt must not be empty.", "prompt");
        return prompts;
    }

    private static string[] Stop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null) return [];
        string[] stops = stop.ValueKind switch
        {
            JsonValueKind.String => [stop.GetString()!],
            JsonValueKind.Array when stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String) => stop.EnumerateArray().Select(s => s.GetString()!).ToArray(),
            _ => throw ApiError.BadRequest("stop must be a string or an array of strings.", "stop"),
        };
        if (stops.Any(s => s.Length == 0)) throw ApiError.BadRequest("stop strings must not be empty.", "stop");
        return stops;
    }

    private static JsonElement? Field(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? String(JsonElement obj, string name, string? param = null) => Field(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw ApiError.BadRequest($"{param ?? name} must be a string.", param ?? name),
    };

    private static double? Number(JsonElement obj, string name) => Field(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v => v.GetDouble(),
        _ => throw ApiError.BadRequest($"{name} must be a number.", name),
    };

    private static int? Integer(JsonElement obj, string name) => Field(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var i) => i,
        _ => throw ApiError.BadRequest($"{name} must be an integer.", name),
    };

    private static bool? Boolean(JsonElement obj, string name) => Field(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw ApiError.BadRequest($"{name} must be true or false.", name),
    };
}
