using System.Net;
using System.Text;
using System.Text.Json;
using Rlpt.Generation;
using Rlpt.Serving;

namespace Rlpt.Tests.Serving;

/// <summary>The server's HTTP contract with raw requests: completions, streaming format, errors, batching, queueing, cancellation, shutdown.</summary>
public sealed class OpenAiServerTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    private static readonly string[] Prompts = ["Ada reads", "Ben writes the map. Cleo", "Eve", "Finn counts ten numbers. Dan draws a", "Cleo sings"];

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Completion(string prompt, int maxTokens, bool stream = false, string extra = "") =>
        $$"""{"model":"{{ServingFixture.ModelName}}","prompt":{{JsonSerializer.Serialize(prompt)}},"max_tokens":{{maxTokens}},"temperature":0,"stream":{{(stream ? "true" : "false")}}{{extra}}}""";

    private GenerationResult Greedy(string prompt, int maxTokens) =>
        fixture.Alone(fixture.Generation.Encode(prompt), new SamplingOptions { Temperature = 0, MaxNewTokens = maxTokens });

    private static async Task<JsonElement> Post(HttpClient http, string path, string body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await http.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The data payloads of a server-sent event stream, up to and including [DONE].</summary>
    private static async Task<List<string>> Events(HttpResponseMessage response)
    {
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<string>();
        var text = await response.Content.ReadAsStringAsync();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", block);
            events.Add(block["data: ".Length..]);
        }
        return events;
    }

    [Fact]
    public async Task CompletionsWholeAndStreamedAreShapedLikeOpenAisAndAgree()
    {
        await using var server = await fixture.StartAsync();
        var expected = Greedy(Prompts[1], 16);
        var whole = await Post(server.Http, "completions", Completion(Prompts[1], 16));
        Assert.StartsWith("cmpl-", whole.GetProperty("id").GetString());
        Assert.Equal("text_completion", whole.GetProperty("object").GetString());
        Assert.True(whole.GetProperty("created").GetInt64() > 1_700_000_000);
        Assert.Equal(ServingFixture.ModelName, whole.GetProperty("model").GetString());
        var choice = whole.GetProperty("choices")[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal(expected.Text, choice.GetProperty("text").GetString());
        Assert.Equal(expected.FinishReason == FinishReason.Length ? "length" : "stop", choice.GetProperty("finish_reason").GetString());
        var usage = whole.GetProperty("usage");
        Assert.Equal(expected.PromptTokens, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(expected.TokenIds.Count, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(expected.PromptTokens + expected.TokenIds.Count, usage.GetProperty("total_tokens").GetInt32());

        using var response = await server.Http.PostAsync("completions", Json(Completion(Prompts[1], 16, stream: true, extra: ""","stream_options":{"include_usage":true}""")));
        var events = await Events(response);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement).ToArray();
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        var pieces = chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0).Select(c => c.GetProperty("choices")[0]).ToArray();
        Assert.Equal(expected.Text, string.Concat(pieces.Select(p => p.GetProperty("text").GetString())));
        Assert.Equal(choice.GetProperty("finish_reason").GetString(), pieces[^1].GetProperty("finish_reason").GetString());
        Assert.Equal(usage.GetProperty("total_tokens").GetInt32(), chunks[^1].GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatStreamingSendsChunksWithDeltasThenDone()
    {
        await using var server = await fixture.StartAsync();
        using var response = await server.Http.PostAsync("chat/completions", Json(
            $$"""{"model":"{{ServingFixture.ModelName}}","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Eve"}],"max_tokens":8,"temperature":0,"stream":true}"""));
        var events = await Events(response);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.SkipLast(1).Select(e => JsonDocument.Parse(e).RootElement).ToArray();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.True(chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString() is "stop" or "length");
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
    }

    [Fact]
    public async Task PromptArraysAndNGiveOneChoicePerPromptAndSample()
    {
        await using var server = await fixture.StartAsync();
        var body = $$"""{"model":"{{ServingFixture.ModelName}}","prompt":["Eve","Ada reads"],"max_tokens":6,"temperature":0.9,"seed":3,"n":2}""";
        var whole = await Post(server.Http, "completions", body);
        var choices = whole.GetProperty("choices").EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2, 3], choices.Select(c => c.GetProperty("index").GetInt32()));
        for (int i = 0; i < 4; i++)
        {
            var expected = fixture.Alone(fixture.Generation.Encode(i < 2 ? "Eve" : "Ada reads"), new SamplingOptions { Temperature = 0.9, MaxNewTokens = 6, Seed = 3 + i % 2 });
            Assert.Equal(expected.Text, choices[i].GetProperty("text").GetString());
        }
        Assert.Equal(fixture.Generation.Encode("Eve").Count + fixture.Generation.Encode("Ada reads").Count, whole.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task ModelsListsTheServedModel()
    {
        await using var server = await fixture.StartAsync();
        var models = JsonDocument.Parse(await server.Http.GetStringAsync("models")).RootElement;
        Assert.Equal("list", models.GetProperty("object").GetString());
        Assert.Equal(ServingFixture.ModelName, models.GetProperty("data")[0].GetProperty("id").GetString());
    }

    public static TheoryData<string, string, int, string?, string?> BadRequests => new()
    {
        { "chat/completions", """{"model":"tiny","messages":[""", 400, null, null },
        { "chat/completions", """{"model":"other","messages":[{"role":"user","content":"hi"}]}""", 404, "model", "model_not_found" },
        { "chat/completions", """{"messages":[{"role":"user","content":"hi"}]}""", 400, "model", null },
        { "chat/completions", """{"model":"tiny"}""", 400, "messages", null },
        { "chat/completions", """{"model":"tiny","messages":[{"role":"robot","content":"hi"}]}""", 400, "messages[0].role", null },
        { "chat/completions", """{"model":"tiny","messages":[{"role":"user","content":"hi"}],"temperature":-0.5}""", 400, "temperature", null },
        { "chat/completions", """{"model":"tiny","messages":[{"role":"user","content":"hi"}],"top_p":0}""", 400, "top_p", null },
        { "chat/completions", """{"model":"tiny","messages":[{"role":"user","content":"hi"}],"top_p":1.5}""", 400, "top_p", null },
        { "chat/completions", """{"model":"tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", 400, "max_tokens", null },
        { "chat/completions", """{"model":"tiny","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":-3}""", 400, "max_completion_tokens", null },
        { "chat/completions", """{"model":"tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":"many"}""", 400, "max_tokens", null },
        { "chat/completions", """{"model":"tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":300}""", 400, "messages", "context_length_exceeded" },
        { "chat/completions", """{"model":"tiny","messages":[{"role":"user","content":"hi"}],"n":0}""", 400, "n", null },
        { "completions", """{"model":"tiny"}""", 400, "prompt", null },
        { "completions", """{"model":"tiny","prompt":[true,false]}""", 400, "prompt", null },
        { "completions", """{"model":"tiny","prompt":"Eve","stop":[""]}""", 400, "stop", null },
        { "completions", """{"model":"tiny","prompt":"Eve","max_tokens":255}""", 400, "prompt", "context_length_exceeded" },
        { "nowhere", """{}""", 404, null, "not_found" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadRequestsGetOpenAiErrors(string path, string body, int status, string? param, string? code)
    {
        await using var server = await fixture.StartAsync();
        var error = (await Post(server.Http, path, body, (HttpStatusCode)status)).GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        // The server is unharmed.
        Assert.NotEmpty((await Post(server.Http, "completions", Completion("Eve", 2))).GetProperty("choices")[0].GetProperty("finish_reason").GetString()!);
    }

    [Fact]
    public async Task ConcurrentRequestsShareBatchesAndEachGetsItsOwnGreedyText()
    {
        var firstBatch = new ManualResetEventSlim();
        await using var server = await fixture.StartAsync(new EngineOptions { BeforeBatch = firstBatch.Wait });
        try
        {
            Task<HttpResponseMessage> Send(int i) => server.Http.PostAsync("completions", Json(Completion(Prompts[i], 6 + 3 * i)));
            // The first request's batch holds the engine (it has only that row); the others then queue up behind it.
            var first = Send(0);
            await Until(() => server.Engine.Batches == 1);
            var rest = Enumerable.Range(1, Prompts.Length - 1).Select(Send).ToArray();
            await Until(() => server.Engine.Waiting == Prompts.Length - 1);
            firstBatch.Set();
            var responses = await Task.WhenAll([first, .. rest]);
            for (int i = 0; i < Prompts.Length; i++)
            {
                var body = JsonDocument.Parse(await responses[i].Content.ReadAsStringAsync()).RootElement;
                Assert.Equal(Greedy(Prompts[i], 6 + 3 * i).Text, body.GetProperty("choices")[0].GetProperty("text").GetString());
            }
            Assert.Equal(2, server.Engine.Batches);
            Assert.Equal(Prompts.Length, server.Engine.RowsDecoded);
        }
        finally
        {
            // A failed step must not leave the engine blocked: the server's shutdown would wait for it forever.
            firstBatch.Set();
        }
    }

    [Fact]
    public async Task AFullQueueAnswers429AndTheQueuedRequestsStillFinish()
    {
        var firstBatch = new ManualResetEventSlim();
        await using var server = await fixture.StartAsync(new EngineOptions { MaxBatchSize = 1, QueueSize = 1, BeforeBatch = firstBatch.Wait });
        try
        {
            var running = server.Http.PostAsync("completions", Json(Completion("Eve", 4)));
            await Until(() => server.Engine.Batches == 1);
            var queued = server.Http.PostAsync("completions", Json(Completion("Ada reads", 4)));
            await Until(() => server.Engine.Waiting == 1);
            var refused = await Post(server.Http, "completions", Completion("Cleo sings", 4), HttpStatusCode.TooManyRequests);
            Assert.Equal("queue_full", refused.GetProperty("error").GetProperty("code").GetString());
            firstBatch.Set();
            Assert.Equal(HttpStatusCode.OK, (await running).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await queued).StatusCode);
        }
        finally
        {
            firstBatch.Set();
        }
    }

    [Fact]
    public async Task AClientThatCancelsAStreamEndsItsRowAndTheServerServesTheNextRequest()
    {
        const int long_ = 200;
        // The reference must really run to its limit, so an early end could only come from the cancellation.
        Assert.Equal(FinishReason.Length, Greedy(Prompts[3], long_).FinishReason);
        int tokens = 0;
        await using var server = await fixture.StartAsync(new EngineOptions
        {
            AfterToken = () =>
            {
                Interlocked.Increment(ref tokens);
                Thread.Sleep(10);
            },
        });
        using (var cancel = new CancellationTokenSource())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "completions") { Content = Json(Completion(Prompts[3], long_, stream: true)) };
            using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
            Assert.StartsWith("data: {", await reader.ReadLineAsync(cancel.Token));
            cancel.Cancel();
        }
        await Until(() => server.Engine.RowsCancelled == 1);
        Assert.True(Volatile.Read(ref tokens) < long_, $"the cancelled row ran {tokens} tokens");
        var next = await Post(server.Http, "completions", Completion("Eve", 3));
        Assert.Equal(Greedy("Eve", 3).Text, next.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task StoppingTheServerFinishesTheRequestInFlight()
    {
        var firstBatch = new ManualResetEventSlim();
        await using var server = await fixture.StartAsync(new EngineOptions { BeforeBatch = firstBatch.Wait });
        try
        {
            var inFlight = server.Http.PostAsync("completions", Json(Completion(Prompts[0], 8)));
            await Until(() => server.Engine.Batches == 1);
            var stopping = server.Server.StopAsync();
            await Task.Delay(300);
            Assert.False(stopping.IsCompleted, "shutdown must wait for the request in flight");
            firstBatch.Set();
            using var response = await inFlight;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(Greedy(Prompts[0], 8).Text, body.GetProperty("choices")[0].GetProperty("text").GetString());
            await stopping.WaitAsync(TimeSpan.FromSeconds(30));
            await Assert.ThrowsAsync<HttpRequestException>(() => server.Http.PostAsync("completions", Json(Completion("Eve", 2))));
        }
        finally
        {
            firstBatch.Set();
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached in 30 s");
            await Task.Delay(10);
        }
    }
}
