using System.Text.Json.Nodes;
using Rlpt.Generation;
using Rlpt.Tokenization;

namespace Rlpt.Serving;

/// <summary>
/// The JSON objects of OpenAI's chat-completions and completions responses, whole and streamed, with the log-probs,
/// token ids and weight version a request asks for in vLLM's layout.
/// </summary>
internal sealed class OpenAiResponses(bool chat, string model, OpenAiRequest request, Tokenizer tokenizer)
{
    private readonly string id = (chat ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N");
    private readonly long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static string FinishReason(GenerationResult result) => result.FinishReason == Generation.FinishReason.Length ? "length" : "stop";

    public JsonObject Whole(IReadOnlyList<GenerationResult> results, int promptTokens)
    {
        var choices = new JsonArray();
        foreach (var (result, index) in results.Select((r, i) => (r, i)))
        {
            // Choices are each prompt's n rows in turn.
            var prompt = request.Prompts[index / request.N];
            var choice = new JsonObject { ["index"] = index };
            if (chat) choice["message"] = new JsonObject { ["role"] = "assistant", ["content"] = result.Text };
            else choice["text"] = request.Echo ? tokenizer.Decode(prompt) + result.Text : result.Text;
            choice["logprobs"] = !request.LogProbs ? null : chat ? ChatLogProbs(result) : CompletionLogProbs(prompt, result);
            choice["finish_reason"] = FinishReason(result);
            if (request.PromptLogProbs is not null && !chat) choice["prompt_logprobs"] = PromptLogProbs(result);
            if (request.ReturnTokenIds)
            {
                choice["token_ids"] = Ids(result.TokenIds);
                if (!chat) choice["prompt_token_ids"] = Ids(prompt);
            }
            if (result.WeightVersion is not null) choice["weight_version"] = result.WeightVersion;
            choices.Add(choice);
        }
        var body = Envelope(chat ? "chat.completion" : "text_completion", choices, Usage(results, promptTokens));
        if (chat && request.ReturnTokenIds) body["prompt_token_ids"] = Ids(request.Prompts[0]);
        if (chat && request.PromptLogProbs is not null) body["prompt_logprobs"] = PromptLogProbs(results[0]);
        if (results.Count > 0 && results[0].WeightVersion is { } version) body["weight_version"] = version;
        return body;
    }

    private string Token(int id) => request.TokensAsIds ? $"token_id:{id}" : tokenizer.Decode([id]);

    private static JsonArray Ids(IReadOnlyList<int> ids) => new(ids.Select(id => (JsonNode?)id).ToArray());

    /// <summary>A position's alternatives as {token: logprob}, with the chosen token added when it is not among them (as vLLM).</summary>
    private JsonObject TopObject(IReadOnlyList<TokenLogProb> top, int chosen, float chosenLogProb)
    {
        var entries = new JsonObject();
        foreach (var alternative in top) entries[Token(alternative.TokenId)] = alternative.LogProb;
        if (!top.Any(t => t.TokenId == chosen)) entries[Token(chosen)] = chosenLogProb;
        return entries;
    }

    /// <summary>The completions API's logprobs: tokens, token_logprobs, top_logprobs and text_offset (the prompt's first, with echo).</summary>
    private JsonObject CompletionLogProbs(IReadOnlyList<int> prompt, GenerationResult result)
    {
        var tokens = new JsonArray();
        var tokenLogProbs = new JsonArray();
        var topLogProbs = new JsonArray();
        var offsets = new JsonArray();
        int offset = 0;
        void Add(int id, float? logProb, JsonObject? top)
        {
            var text = Token(id);
            tokens.Add(text);
            tokenLogProbs.Add(logProb);
            topLogProbs.Add(top);
            offsets.Add(offset);
            offset += tokenizer.Decode([id]).Length;
        }
        if (request.Echo)
        {
            Add(prompt[0], null, null);
            foreach (var scored in result.PromptLogProbs ?? []) Add(scored.TokenId, scored.LogProb, TopObject(scored.Top.Take(request.Sampling.TopLogProbs).ToArray(), scored.TokenId, scored.LogProb));
        }
        for (int t = 0; t < result.TokenIds.Count; t++)
            Add(result.TokenIds[t], result.LogProbs[t], TopObject(result.TopLogProbs?[t] ?? [], result.TokenIds[t], result.LogProbs[t]));
        return new JsonObject { ["tokens"] = tokens, ["token_logprobs"] = tokenLogProbs, ["top_logprobs"] = topLogProbs, ["text_offset"] = offsets };
    }

    /// <summary>The chat API's logprobs: content, one entry per generated token with its bytes and top_logprobs.</summary>
    private JsonObject ChatLogProbs(GenerationResult result)
    {
        JsonObject Entry(int id, float logProb) => new()
        {
            ["token"] = Token(id), ["logprob"] = logProb,
            ["bytes"] = new JsonArray(tokenizer.DecodeBytes([id]).Select(b => (JsonNode?)(int)b).ToArray()),
        };
        var content = new JsonArray();
        for (int t = 0; t < result.TokenIds.Count; t++)
        {
            var entry = Entry(result.TokenIds[t], result.LogProbs[t]);
            entry["top_logprobs"] = new JsonArray((result.TopLogProbs?[t] ?? []).Select(a => (JsonNode?)Entry(a.TokenId, a.LogProb)).ToArray());
            content.Add(entry);
        }
        return new JsonObject { ["content"] = content };
    }

    /// <summary>vLLM's prompt_logprobs: null for the first token, then {id: {logprob, rank, decoded_token}} with the token and its alternatives.</summary>
    private JsonArray PromptLogProbs(GenerationResult result)
    {
        var list = new JsonArray { null };
        foreach (var scored in result.PromptLogProbs ?? [])
        {
            var entries = new JsonObject();
            JsonObject Entry(float logProb, int? rank, int id) => new() { ["logprob"] = logProb, ["rank"] = rank, ["decoded_token"] = Token(id) };
            entries[scored.TokenId.ToString()] = Entry(scored.LogProb, scored.Rank, scored.TokenId);
            foreach (var (alternative, rank) in scored.Top.Take(request.PromptLogProbs ?? 0).Select((a, i) => (a, i + 1)))
                if (alternative.TokenId != scored.TokenId) entries[alternative.TokenId.ToString()] = Entry(alternative.LogProb, rank, alternative.TokenId);
            list.Add(entries);
        }
        return list;
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
