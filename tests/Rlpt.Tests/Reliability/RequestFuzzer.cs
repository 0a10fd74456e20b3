using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rlpt.Tests.Reliability;

/// <summary>One hostile request: what it is (for the failure message), where it goes, its body, and whether the client walks away mid-stream.</summary>
internal sealed record FuzzCase(string Kind, HttpMethod Method, string Path, byte[] Body, string ContentType = "application/json", bool Vanish = false, int HeaderBytes = 0);

/// <summary>
/// Seeded malformed and adversarial requests for <c>rlpt serve</c>: case i is the same on every run, so a failure
/// reproduces. Each kind attacks one part of the request path: the JSON reader, the field checks, the limits, the
/// tokenizer, the routes, streaming.
/// </summary>
internal sealed class RequestFuzzer(int seed, int vocabulary)
{
    private static readonly string[] Fields = ["model", "prompt", "messages", "max_tokens", "max_completion_tokens", "temperature", "top_p", "top_k", "n", "stop", "seed",
        "stream", "stream_options", "logprobs", "top_logprobs", "echo", "prompt_logprobs", "return_token_ids", "ignore_eos"];

    public static readonly string[] Kinds = ["truncated", "random-bytes", "wrong-type", "extreme-number", "deep-nesting", "oversized-body", "token-ids",
        "route", "content-type", "valid-random", "vanish-mid-stream", "bad-unicode", "chat-shape", "weight-update", "huge-header", "huge-prompt"];

    public FuzzCase Case(int index)
    {
        var random = new Random(HashCode.Combine(seed, index));
        string kind = Kinds[index % Kinds.Length];
        JsonObject Valid() => new()
        {
            ["model"] = "tiny", ["prompt"] = "the cat", ["max_tokens"] = random.Next(1, 6), ["temperature"] = random.NextDouble() * 2,
        };
        byte[] Json(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());
        JsonNode WrongValue() => random.Next(9) switch
        {
            0 => "x", 1 => 3.5, 2 => -7, 3 => true, 4 => new JsonArray(1, "a"), 5 => new JsonObject { ["a"] = 1 },
            6 => JsonValue.Create(long.MaxValue), 7 => new string('z', random.Next(1, 5000)), _ => JsonValue.Create(-0.0),
        };
        switch (kind)
        {
            case "truncated":
            {
                var text = Json(Valid());
                return new(kind, HttpMethod.Post, "v1/completions", text[..random.Next(text.Length)]);
            }
            case "random-bytes":
            {
                var bytes = new byte[random.Next(1, 2000)];
                random.NextBytes(bytes);
                return new(kind, HttpMethod.Post, random.Next(2) == 0 ? "v1/completions" : "v1/chat/completions", bytes);
            }
            case "wrong-type":
            {
                var body = Valid();
                body[Fields[random.Next(Fields.Length)]] = WrongValue();
                return new(kind, HttpMethod.Post, "v1/completions", Json(body));
            }
            case "extreme-number":
            {
                string field = new[] { "n", "max_tokens", "temperature", "top_p", "top_k", "seed", "logprobs", "prompt_logprobs" }[random.Next(8)];
                string number = new[] { "1e400", "-1e400", "1e9", "-1", "0", "2147483648", "-2147483649", "1e-400", "123456789012345678901234567890" }[random.Next(9)];
                return new(kind, HttpMethod.Post, "v1/completions", Encoding.UTF8.GetBytes($$"""{"model":"tiny","prompt":"the cat","{{field}}":{{number}}}"""));
            }
            case "deep-nesting":
            {
                int depth = random.Next(65, 200_000);
                char open = random.Next(2) == 0 ? '[' : '{';
                var text = open == '[' ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                return new(kind, HttpMethod.Post, "v1/completions", Encoding.UTF8.GetBytes($$"""{"model":"tiny","prompt":"x","stop":{{text}}}"""));
            }
            case "oversized-body":
                // Above the 8 MiB limit: the server must refuse it without reading it all into memory.
                return new(kind, HttpMethod.Post, "v1/completions", Encoding.UTF8.GetBytes($$"""{"model":"tiny","prompt":"{{new string('a', (9 << 20) + random.Next(1000))}}"}"""));
            case "token-ids":
            {
                JsonNode prompt = random.Next(5) switch
                {
                    0 => new JsonArray(Enumerable.Range(0, random.Next(1, 50)).Select(_ => (JsonNode?)random.Next(-5, vocabulary + 5)).ToArray()),
                    1 => new JsonArray(Enumerable.Range(0, 20_000).Select(_ => (JsonNode?)random.Next(vocabulary)).ToArray()),
                    2 => new JsonArray(new JsonArray(1, 2), new JsonArray(), new JsonArray(3)),
                    3 => new JsonArray(new JsonArray(new JsonArray(1))),
                    _ => new JsonArray(Enumerable.Range(0, 40).Select(_ => (JsonNode?)new JsonArray(random.Next(vocabulary), random.Next(vocabulary))).ToArray()),
                };
                var body = Valid();
                body["prompt"] = prompt;
                return new(kind, HttpMethod.Post, "v1/completions", Json(body));
            }
            case "route":
            {
                var (method, path) = random.Next(6) switch
                {
                    0 => (HttpMethod.Get, "v1/completions"), 1 => (HttpMethod.Delete, "v1/chat/completions"), 2 => (HttpMethod.Post, "v1/../../etc/passwd"),
                    3 => (HttpMethod.Post, "v1/" + new string('x', random.Next(100, 6000))), 4 => (HttpMethod.Put, "v1/models"), _ => (HttpMethod.Post, "v1/models"),
                };
                return new(kind, method, path, Json(Valid()));
            }
            case "content-type":
                return new(kind, HttpMethod.Post, "v1/completions", Json(Valid()), new[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1" }[random.Next(4)]);
            case "valid-random":
            {
                var body = Valid();
                if (random.Next(2) == 0) body["logprobs"] = random.Next(0, 4);
                if (random.Next(3) == 0) body["echo"] = true;
                if (random.Next(3) == 0) body["stop"] = new JsonArray("a", "the");
                if (random.Next(3) == 0) body["n"] = random.Next(1, 4);
                if (random.Next(3) == 0) body["top_k"] = random.Next(-1, 20);
                if (random.Next(4) == 0) body["prompt_logprobs"] = random.Next(0, 3);
                if (random.Next(4) == 0) body["stream"] = true;
                if (body["stream"] is not null && (body["logprobs"] is not null || body["echo"] is not null || body["prompt_logprobs"] is not null)) body.Remove("stream");
                return new(kind, HttpMethod.Post, "v1/completions", Json(body));
            }
            case "vanish-mid-stream":
            {
                var body = Valid();
                body["stream"] = true;
                body["max_tokens"] = 40;
                body["ignore_eos"] = true;
                return new(kind, HttpMethod.Post, random.Next(2) == 0 ? "v1/completions" : "v1/chat/completions",
                    random.Next(2) == 0 ? Json(body) : Json(new JsonObject { ["model"] = "tiny", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }), ["stream"] = true, ["max_tokens"] = 20 }), Vanish: true);
            }
            case "bad-unicode":
            {
                // Lone surrogates as escapes, overlong and truncated UTF-8 sequences inside strings.
                var pieces = new[] { "\\ud800", "\\udfff\\ud800", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\\u0000" };
                var text = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => pieces[random.Next(pieces.Length)]));
                return new(kind, HttpMethod.Post, "v1/completions", Encoding.Latin1.GetBytes($$"""{"model":"tiny","prompt":"a{{text}}b","max_tokens":2}"""));
            }
            case "chat-shape":
            {
                JsonNode messages = random.Next(6) switch
                {
                    0 => new JsonArray(), 1 => new JsonArray(new JsonObject { ["role"] = 7, ["content"] = "x" }),
                    2 => new JsonArray(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "image_url", ["image_url"] = "x" }) }),
                    3 => new JsonArray(new JsonObject { ["role"] = "wizard", ["content"] = "x" }), 4 => "just a string",
                    _ => new JsonArray(Enumerable.Range(0, 500).Select(i => (JsonNode?)new JsonObject { ["role"] = i % 2 == 0 ? "user" : "assistant", ["content"] = "word " + i }).ToArray()),
                };
                return new(kind, HttpMethod.Post, "v1/chat/completions", Json(new JsonObject { ["model"] = "tiny", ["messages"] = messages, ["max_tokens"] = 2 }));
            }
            case "weight-update":
                return new(kind, HttpMethod.Post, "update_weights_from_disk", random.Next(2) == 0 ? Json(new JsonObject { ["model_path"] = "../../../etc" }) : Encoding.UTF8.GetBytes("{"));
            case "huge-header":
                return new(kind, HttpMethod.Post, "v1/completions", Json(Valid()), HeaderBytes: random.Next(40_000, 120_000));
            default: // huge-prompt: text well inside the body limit but far beyond the context
                return new(kind, HttpMethod.Post, "v1/completions", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { model = "tiny", prompt = string.Concat(Enumerable.Repeat("the cat sat ", random.Next(1000, 200_000))), max_tokens = 2 })));
        }
    }
}
