using System.Text.Json;
using Rlpt.Generation;
using Rlpt.Tokenization;

namespace Rlpt.Serving;

/// <summary>
/// The parameters of a chat-completions or completions request, read strictly: a field of the wrong type or out of
/// range is refused with OpenAI's error naming it, rather than silently ignored. A field given as null counts as absent.
/// Beyond OpenAI's fields it reads vLLM's that RL trainers use: prompts as token ids, <c>prompt_logprobs</c>,
/// <c>return_token_ids</c>, <c>return_tokens_as_token_ids</c> and <c>ignore_eos</c>.
/// </summary>
internal sealed record OpenAiRequest(IReadOnlyList<IReadOnlyList<int>> Prompts, SamplingOptions Sampling, int? MaxTokens, int N, bool Stream, bool IncludeUsage)
{
    /// <summary>Return each generated token's log-probability (completions: logprobs ≥ 0; chat: logprobs true).</summary>
    public bool LogProbs { get; init; }
    /// <summary>Completions: the prompt's text (and with logprobs its tokens' log-probabilities) leads each choice.</summary>
    public bool Echo { get; init; }
    /// <summary>vLLM's prompt_logprobs: each choice lists its prompt tokens' log-probabilities with this many alternatives.</summary>
    public int? PromptLogProbs { get; init; }
    /// <summary>vLLM's return_token_ids: choices gain token_ids and prompt_token_ids.</summary>
    public bool ReturnTokenIds { get; init; }
    /// <summary>vLLM's return_tokens_as_token_ids: tokens in log-probs are written "token_id:N" (exact, whatever their bytes).</summary>
    public bool TokensAsIds { get; init; }

    private static readonly string[] Roles = ["system", "developer", "user", "assistant"];

    public static OpenAiRequest Read(JsonElement root, bool chat, BatchingEngine engine, string modelName)
    {
        if (root.ValueKind != JsonValueKind.Object) throw ApiError.BadRequest("the request body must be a JSON object.");
        var model = String(root, "model") ?? throw ApiError.BadRequest("you must provide a model parameter.", "model");
        if (model != modelName) throw new ApiError(404, $"The model '{model}' does not exist; this server serves '{modelName}'.", "model", "model_not_found");

        IReadOnlyList<IReadOnlyList<int>> prompts = chat ? [engine.EncodeChat(Messages(root, engine))] : Prompt(root, engine);
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

        // Completions: logprobs is the number of alternatives (0 = the sampled token's only); chat: a flag and top_logprobs.
        int? top = chat ? (Boolean(root, "logprobs") == true ? Integer(root, "top_logprobs") ?? 0 : null) : Integer(root, "logprobs");
        if (chat && Integer(root, "top_logprobs") is not null && Boolean(root, "logprobs") != true)
            throw ApiError.BadRequest("top_logprobs needs logprobs set to true.", "top_logprobs");
        var topParam = chat ? "top_logprobs" : "logprobs";
        if (top is < 0 or > SamplingOptions.MaxLogProbs) throw ApiError.BadRequest($"{topParam} must be in 0..{SamplingOptions.MaxLogProbs} (got {top}).", topParam);
        var promptLogProbs = Integer(root, "prompt_logprobs");
        if (promptLogProbs is < 0 or > SamplingOptions.MaxLogProbs) throw ApiError.BadRequest($"prompt_logprobs must be in 0..{SamplingOptions.MaxLogProbs} (got {promptLogProbs}).", "prompt_logprobs");
        bool echo = !chat && (Boolean(root, "echo") ?? false);
        bool returnTokenIds = Boolean(root, "return_token_ids") ?? false;
        if (stream && (top is not null || echo || promptLogProbs is not null || returnTokenIds))
            throw ApiError.BadRequest("logprobs, echo, prompt_logprobs and return_token_ids are served on whole responses only; set stream to false.", "stream");

        var options = new SamplingOptions
        {
            Temperature = temperature, TopP = topP, TopK = Math.Max(0, topK), StopStrings = Stop(root), Seed = Integer(root, "seed"),
            StopAtEndOfText = !(Boolean(root, "ignore_eos") ?? false),
            TopLogProbs = top ?? 0,
            // Echoed log-probs need the prompt scored with as many alternatives as the generated tokens get.
            PromptLogProbs = echo && top is int k ? Math.Max(k, promptLogProbs ?? 0) : promptLogProbs,
        };
        return new OpenAiRequest(prompts, chat ? BatchingEngine.ForChat(options) : options, maxTokens, n, stream, includeUsage)
        {
            LogProbs = top is not null, Echo = echo, PromptLogProbs = promptLogProbs, ReturnTokenIds = returnTokenIds,
            TokensAsIds = Boolean(root, "return_tokens_as_token_ids") ?? false,
        };
    }

    /// <summary>n rows per prompt, in OpenAI's choice order; with a seed, choice i samples with seed + i.</summary>
    public IReadOnlyList<GenerationRequest> Rows(BatchingEngine engine) =>
        Prompts.SelectMany(prompt => Enumerable.Range(0, N).Select(i => new GenerationRequest(prompt, Sampling with
        {
            MaxNewTokens = MaxTokens ?? engine.DefaultMaxTokens(prompt.Count),
            Seed = Sampling.Seed is int seed ? unchecked(seed + i) : null,
        }))).ToArray();

    private static List<ChatMessage> Messages(JsonElement root, BatchingEngine engine)
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
        TooLongToEncode(string.Concat(turns.Select(t => t.Content)), engine, "messages");
        return turns;
    }

    /// <summary>A message's content: a string, or an array of text parts (other part types need a multimodal model).</summary>
    private static string Content(JsonElement message, string param)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null) return "";
        if (content.ValueKind == JsonValueKind.String) return Decode(content, param);
        if (content.ValueKind != JsonValueKind.Array) throw ApiError.BadRequest($"{param} must be a string or an array of text parts.", param);
        return string.Concat(content.EnumerateArray().Select(part =>
            part.ValueKind == JsonValueKind.Object && String(part, "type", param) == "text"
                ? String(part, "text", param) ?? ""
                : throw ApiError.BadRequest($"{param}: only text parts are supported.", param)));
    }

    /// <summary>OpenAI's four prompt shapes: a string, strings, token ids, or arrays of token ids.</summary>
    private static IReadOnlyList<IReadOnlyList<int>> Prompt(JsonElement root, BatchingEngine engine)
    {
        if (!root.TryGetProperty("prompt", out var prompt) || prompt.ValueKind == JsonValueKind.Null)
            throw ApiError.BadRequest("you must provide a prompt parameter.", "prompt");
        const string shapes = "prompt must be a string, an array of strings, an array of token ids or an array of such arrays.";
        IReadOnlyList<IReadOnlyList<int>> prompts = prompt.ValueKind switch
        {
            JsonValueKind.String => [Text(Decode(prompt, "prompt"))],
            JsonValueKind.Array when prompt.GetArrayLength() == 0 => throw ApiError.BadRequest("prompt must not be empty.", "prompt"),
            JsonValueKind.Array when prompt.EnumerateArray().All(p => p.ValueKind == JsonValueKind.String) => prompt.EnumerateArray().Select(p => Text(Decode(p, "prompt"))).ToArray(),
            JsonValueKind.Array when prompt.EnumerateArray().All(p => p.ValueKind == JsonValueKind.Number) => [TokenIds(prompt)],
            JsonValueKind.Array when prompt.EnumerateArray().All(p => p.ValueKind == JsonValueKind.Array) => prompt.EnumerateArray().Select(TokenIds).ToArray(),
            _ => throw ApiError.BadRequest(shapes, "prompt"),
        };
        return prompts;

        IReadOnlyList<int> Text(string text)
        {
            if (text.Length == 0) throw ApiError.BadRequest("prompt must not be empty.", "prompt");
            TooLongToEncode(text, engine, "prompt");
            return engine.Tokenizer.Encode(text);
        }

        IReadOnlyList<int> TokenIds(JsonElement ids)
        {
            if (ids.GetArrayLength() == 0) throw ApiError.BadRequest("prompt must not be empty.", "prompt");
            return ids.EnumerateArray().Select(id => id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out var t) && t >= 0 && t < engine.ModelConfig.VocabSize
                ? t
                : throw ApiError.BadRequest($"prompt token ids must be integers in 0..{engine.ModelConfig.VocabSize - 1}.", "prompt")).ToArray();
        }
    }

    private static string[] Stop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null) return [];
        string[] stops = stop.ValueKind switch
        {
            JsonValueKind.String => [Decode(stop, "stop")],
            JsonValueKind.Array when stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String) => stop.EnumerateArray().Select(s => Decode(s, "stop")).ToArray(),
            _ => throw ApiError.BadRequest("stop must be a string or an array of strings.", "stop"),
        };
        if (stops.Any(s => s.Length == 0)) throw ApiError.BadRequest("stop strings must not be empty.", "stop");
        return stops;
    }

    /// <summary>
    /// Refuses a text that cannot fit the context whatever it encodes to, before spending CPU on encoding it: it has at
    /// least bytes / longest-token tokens (4× slack for normalisation, which can lengthen text).
    /// </summary>
    private static void TooLongToEncode(string text, BatchingEngine engine, string param)
    {
        long bound = 4L * engine.ContextLength * Math.Max(1, engine.Tokenizer.LongestTokenBytes);
        if (text.Length > bound || System.Text.Encoding.UTF8.GetByteCount(text) > bound)
            throw ApiError.BadRequest($"the {param} is {System.Text.Encoding.UTF8.GetByteCount(text):N0} bytes: far more tokens than the model's context of {engine.ContextLength}.", param, "context_length_exceeded");
    }

    /// <summary>A JSON string's text; one that is not valid Unicode (invalid UTF-8, a lone surrogate escape) is the client's error.</summary>
    private static string Decode(JsonElement value, string param)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw ApiError.BadRequest($"{param} is not valid Unicode text (invalid UTF-8 or a lone surrogate).", param);
        }
    }

    private static JsonElement? Field(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? String(JsonElement obj, string name, string? param = null) => Field(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => Decode(v, param ?? name),
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
