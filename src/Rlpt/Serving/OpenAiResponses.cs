using System.Text.Json.Nodes;
using Rlpt.Generation;

namespace Rlpt.Serving;

/// <summary>The JSON objects of OpenAI's chat-completions and completions responses, whole and streamed.</summary>
internal sealed class OpenAiResponses(bool chat, string model)
{
    private readonly string id = (chat ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N");
    private readonly long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static string FinishReason(GenerationResult result) => result.FinishReason == Generation.FinishReason.Length ? "length" : "stop";

    public JsonObject Whole(IReadOnlyList<GenerationResult> results, int promptTokens)
    {
        var choices = new JsonArray();
        foreach (var (result, index) in results.Select((r, i) => (r, i)))
        {
            var choice = new JsonObject { ["index"] = index };
            if (chat) choice["message"] = new JsonObject { ["role"] = "assistant", ["content"] = result.Text };
            else choice["text"] = result.Text;
            choice["logprobs"] = null;
            choice["finish_reason"] = FinishReason(result);
            choices.Add(choice);
        }
        return Envelope(chat ? "chat.completion" : "text_completion", choices, Usage(results, promptTokens));
    }

    /// <summary>A streamed piece of choice <paramref name="index"/>: its first chunk announces the assistant role.</summary>
    public JsonObject Chunk(int index, string? text, string? finishReason, bool first = false)
    {
        var choice = new JsonObject { ["index"] = index };
        if (chat)
        {
            var delta = new JsonObject();
            if (first) delta["role"] = "assistant";
            if (text is not null) delta["content"] = text;
            choice["delta"] = delta;
        }
        else choice["text"] = text ?? "";
        choice["logprobs"] = null;
        choice["finish_reason"] = finishReason;
        return Envelope(chat ? "chat.completion.chunk" : "text_completion", [choice], null);
    }

    /// <summary>The closing chunk stream_options.include_usage asks for: no choices, the request's usage.</summary>
    public JsonObject UsageChunk(IReadOnlyList<GenerationResult> results, int promptTokens) =>
        Envelope(chat ? "chat.completion.chunk" : "text_completion", [], Usage(results, promptTokens));

    /// <param name="promptTokens">Prompt tokens of the whole request: each prompt once, however many choices it has.</param>
    private static JsonObject Usage(IReadOnlyList<GenerationResult> results, int promptTokens)
    {
        int completion = results.Sum(r => r.TokenIds.Count);
        return new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completion, ["total_tokens"] = promptTokens + completion };
    }

    private JsonObject Envelope(string kind, JsonArray choices, JsonObject? usage)
    {
        var body = new JsonObject { ["id"] = id, ["object"] = kind, ["created"] = created, ["model"] = model, ["choices"] = choices };
        if (usage is not null) body["usage"] = usage;
        return body;
    }
}
