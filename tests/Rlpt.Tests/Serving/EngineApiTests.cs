using System.Net;
using System.Text;
using System.Text.Json;
using Rlpt.Generation;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Serving;
using static TorchSharp.torch;

namespace Rlpt.Tests.Serving;

/// <summary>What RL trainers need from an inference engine, in vLLM's and SGLang's shapes: log-probs, token ids, weight updates.</summary>
public sealed class EngineApiTests(ServingFixture fixture) : IClassFixture<ServingFixture>
{
    private const string Prompt = "Ben writes the map. Cleo";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Post(HttpClient http, string path, string body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await http.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Ids(IEnumerable<int> ids) => "[" + string.Join(",", ids) + "]";

    [Fact]
    public async Task TokenIdPromptsGetTheirTokenIdsAndTheSamplersLogProbs()
    {
        await using var server = await fixture.StartAsync();
        var prompt = fixture.Generation.Encode(Prompt);
        var expected = fixture.Alone(prompt, new SamplingOptions { MaxNewTokens = 10, Temperature = 0.7, Seed = 3, StopAtEndOfText = false, TopLogProbs = 2 });
        var body = await Post(server.Http, "completions",
            $$"""{"model":"tiny","prompt":{{Ids(prompt)}},"max_tokens":10,"temperature":0.7,"seed":3,"ignore_eos":true,"logprobs":2,"return_token_ids":true}""");
        var choice = body.GetProperty("choices")[0];
        Assert.Equal(expected.TokenIds, choice.GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt32()));
        Assert.Equal(prompt, choice.GetProperty("prompt_token_ids").EnumerateArray().Select(t => t.GetInt32()));
        Assert.Equal(expected.Text, choice.GetProperty("text").GetString());
        var logprobs = choice.GetProperty("logprobs");
        var tokenLogProbs = logprobs.GetProperty("token_logprobs").EnumerateArray().Select(t => t.GetSingle()).ToArray();
        Assert.Equal(expected.LogProbs.Count, tokenLogProbs.Length);
        for (int t = 0; t < tokenLogProbs.Length; t++) Assert.Equal(expected.LogProbs[t], tokenLogProbs[t], 4);
        var top = logprobs.GetProperty("top_logprobs").EnumerateArray().ToArray();
        for (int t = 0; t < top.Length; t++)
        {
            // The two most likely tokens, plus the sampled one when it is neither (as vLLM).
            var entries = top[t].EnumerateObject().ToArray();
            Assert.InRange(entries.Length, 2, 3);
            Assert.Equal(expected.TopLogProbs![t][0].LogProb, entries[0].Value.GetSingle(), 4);
        }
        Assert.Equal(expected.TokenIds.Count, logprobs.GetProperty("tokens").GetArrayLength());
        Assert.Equal("0", body.GetProperty("weight_version").GetString());

        // The same prompt as text is the same request.
        var asText = await Post(server.Http, "completions",
            $$"""{"model":"tiny","prompt":{{JsonSerializer.Serialize(Prompt)}},"max_tokens":10,"temperature":0.7,"seed":3,"ignore_eos":true,"return_token_ids":true,"return_tokens_as_token_ids":true,"logprobs":0}""");
        var textChoice = asText.GetProperty("choices")[0];
        Assert.Equal(expected.TokenIds, textChoice.GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt32()));
        Assert.Equal(expected.TokenIds.Select(t => $"token_id:{t}"), textChoice.GetProperty("logprobs").GetProperty("tokens").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task EchoAndPromptLogProbsScoreThePrompt()
    {
        await using var server = await fixture.StartAsync();
        var prompt = fixture.Generation.Encode(Prompt);
        var body = await Post(server.Http, "completions",
            $$"""{"model":"tiny","prompt":{{JsonSerializer.Serialize(Prompt)}},"max_tokens":4,"temperature":0,"echo":true,"logprobs":1,"prompt_logprobs":0}""");
        var choice = body.GetProperty("choices")[0];
        Assert.StartsWith(Prompt, choice.GetProperty("text").GetString());
        var logprobs = choice.GetProperty("logprobs");
        var tokenLogProbs = logprobs.GetProperty("token_logprobs").EnumerateArray().ToArray();
        Assert.Equal(prompt.Count + 4, tokenLogProbs.Length);
        Assert.Equal(JsonValueKind.Null, tokenLogProbs[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, logprobs.GetProperty("top_logprobs")[0].ValueKind);
        var scored = choice.GetProperty("prompt_logprobs").EnumerateArray().ToArray();
        Assert.Equal(prompt.Count, scored.Length);
        Assert.Equal(JsonValueKind.Null, scored[0].ValueKind);
        using (no_grad())
        {
            var logProbs = fixture.Generation.Model.Forward(tensor(prompt.Select(t => (long)t).ToArray()).unsqueeze(0))[0].log_softmax(-1);
            for (int t = 1; t < prompt.Count; t++)
            {
                var entry = scored[t].GetProperty(prompt[t].ToString());
                float expected = logProbs[t - 1, prompt[t]].item<float>();
                Assert.Equal(expected, entry.GetProperty("logprob").GetSingle(), 3);
                Assert.Equal(expected, tokenLogProbs[t].GetSingle(), 3);
                Assert.True(entry.GetProperty("rank").GetInt32() >= 1);
            }
        }
    }

    [Fact]
    public async Task ChatLogProbsListEachGeneratedTokenWithItsBytes()
    {
        await using var server = await fixture.StartAsync();
        var body = await Post(server.Http, "chat/completions",
            """{"model":"tiny","messages":[{"role":"user","content":"Ada reads"}],"max_tokens":5,"temperature":0,"logprobs":true,"top_logprobs":3,"return_token_ids":true}""");
        var choice = body.GetProperty("choices")[0];
        var content = choice.GetProperty("logprobs").GetProperty("content").EnumerateArray().ToArray();
        var ids = choice.GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        Assert.Equal(ids.Length, content.Length);
        for (int t = 0; t < ids.Length; t++)
        {
            Assert.Equal(fixture.Generation.Tokenizer.DecodeBytes([ids[t]]).Select(b => (int)b), content[t].GetProperty("bytes").EnumerateArray().Select(b => b.GetInt32()));
            Assert.Equal(3, content[t].GetProperty("top_logprobs").GetArrayLength());
            // Greedy: the chosen token is the most likely one.
            Assert.Equal(content[t].GetProperty("top_logprobs")[0].GetProperty("logprob").GetSingle(), content[t].GetProperty("logprob").GetSingle(), 5);
        }
        Assert.True(body.GetProperty("prompt_token_ids").GetArrayLength() > 0);
    }

    [Theory]
    [InlineData("completions", """{"model":"tiny","prompt":"Eve","logprobs":21}""", "logprobs")]
    [InlineData("completions", """{"model":"tiny","prompt":"Eve","logprobs":1,"stream":true}""", "stream")]
    [InlineData("completions", """{"model":"tiny","prompt":[1,2,99999]}""", "prompt")]
    [InlineData("completions", """{"model":"tiny","prompt":[1,-2]}""", "prompt")]
    [InlineData("completions", """{"model":"tiny","prompt":[[1,2],[]]}""", "prompt")]
    [InlineData("completions", """{"model":"tiny","prompt":[1,"a"]}""", "prompt")]
    [InlineData("completions", """{"model":"tiny","prompt":"Eve","prompt_logprobs":-1}""", "prompt_logprobs")]
    [InlineData("chat/completions", """{"model":"tiny","messages":[{"role":"user","content":"x"}],"top_logprobs":2}""", "top_logprobs")]
    public async Task BadLogProbAndTokenIdRequestsAre400(string path, string body, string param)
    {
        await using var server = await fixture.StartAsync();
        var error = (await Post(server.Http, path, body, HttpStatusCode.BadRequest)).GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    /// <summary>A model folder of the fixture's architecture with its own weights (seed), saved under <paramref name="root"/>.</summary>
    private string SaveModel(string root, string name, long? seed, ModelConfig? config = null)
    {
        var folder = Path.Combine(root, name);
        if (seed is null && config is null) ModelFolder.Save(folder, fixture.Generation.Model, fixture.Generation.Tokenizer);
        else
        {
            using var model = new CausalLM(config ?? fixture.Generation.Model.Config);
            model.InitializeWeights(seed ?? 1);
            using (no_grad())
                foreach (var (n, p) in model.named_parameters())
                    if (n.EndsWith("embed_tokens.weight")) p.mul_(20);
            ModelFolder.Save(folder, model, fixture.Generation.Tokenizer);
        }
        return folder;
    }

    private static async Task<(CausalLM Model, BatchingEngine Engine, OpenAiServer Server, HttpClient Http)> Serve(string folder, string? root, EngineOptions? options = null, string? apiKey = null)
    {
        var (model, tokenizer) = ModelFolder.Load(folder, CPU);
        var engine = new BatchingEngine(model, tokenizer, options);
        var server = new OpenAiServer(engine, new ServerOptions { Port = 0, ModelName = "tiny", WeightsRoot = root, ApiKey = apiKey });
        await server.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri(server.BaseAddress.ToString().Replace("/v1", "/")) };
        if (apiKey is not null) http.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        return (model, engine, server, http);
    }

    private static async Task Stop((CausalLM Model, BatchingEngine Engine, OpenAiServer Server, HttpClient Http) served)
    {
        served.Http.Dispose();
        await served.Server.StopAsync();
        await served.Server.DisposeAsync();
        await served.Engine.DisposeAsync();
        served.Model.Dispose();
    }

    private static string Greedy(string prompt, int tokens) =>
        $$"""{"model":"tiny","prompt":{{JsonSerializer.Serialize(prompt)}},"max_tokens":{{tokens}},"temperature":0,"ignore_eos":true,"return_token_ids":true}""";

    private static int[] TokenIds(JsonElement body) => body.GetProperty("choices")[0].GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt32()).ToArray();

    private static IReadOnlyList<int> LocalGreedy(string folder, IReadOnlyList<int> prompt, int tokens)
    {
        var (model, tokenizer) = ModelFolder.Load(folder, CPU);
        using (model)
            return new BatchGenerator(model, tokenizer).Generate([new GenerationRequest(prompt, new SamplingOptions { MaxNewTokens = tokens, Temperature = 0, StopAtEndOfText = false })])[0].TokenIds;
    }

    [Fact]
    public async Task AWeightUpdateSwapsBetweenStepsAndTheRequestInFlightFinishesOnTheOldWeights()
    {
        using var root = new TestDirectory();
        var original = SaveModel(root.Path, "a", seed: null);
        var updated = SaveModel(root.Path, "b", seed: 12);
        var prompt = fixture.Generation.Encode(Prompt);
        var fromA = LocalGreedy(original, prompt, 60);
        var fromB = LocalGreedy(updated, prompt, 12);
        Assert.NotEqual(fromA.Take(12), fromB);

        int tokens = 0;
        var served = await Serve(original, root.Path, new EngineOptions { AfterToken = () => { Interlocked.Increment(ref tokens); Thread.Sleep(15); } });
        try
        {
            var inFlight = Post(served.Http, "v1/completions", Greedy(Prompt, 60));
            while (Volatile.Read(ref tokens) < 5) await Task.Delay(5);
            var update = Post(served.Http, "update_weights_from_disk", """{"model_path":"b","weight_version":"step-1"}""");
            var old = await inFlight;
            Assert.False(update.IsCompleted && Volatile.Read(ref tokens) < 60, "the update must wait for the running request");
            Assert.Equal(fromA, TokenIds(old));
            Assert.Equal("0", old.GetProperty("weight_version").GetString());
            var reply = await update;
            Assert.True(reply.GetProperty("success").GetBoolean(), reply.GetProperty("message").GetString());

            var after = await Post(served.Http, "v1/completions", Greedy(Prompt, 12));
            Assert.Equal(fromB, TokenIds(after));
            Assert.Equal("step-1", after.GetProperty("weight_version").GetString());
            var models = await served.Http.GetStringAsync("v1/models");
            Assert.Contains("\"weight_version\":\"step-1\"", models);

            // And back, by absolute path, with a version of the server's own numbering.
            var back = await Post(served.Http, "update_weights_from_disk", $$"""{"model_path":{{JsonSerializer.Serialize(original)}}}""");
            Assert.True(back.GetProperty("success").GetBoolean());
            Assert.Equal(fromA.Take(12), TokenIds(await Post(served.Http, "v1/completions", Greedy(Prompt, 12))));
        }
        finally
        {
            await Stop(served);
        }
    }

    [Fact]
    public async Task WeightUpdatesReadOnlyUnderTheRootAndOnlyTheServedArchitecture()
    {
        using var root = new TestDirectory();
        using var outside = new TestDirectory();
        var original = SaveModel(root.Path, "a", seed: null);
        SaveModel(outside.Path, "elsewhere", seed: 3);
        Directory.CreateSymbolicLink(Path.Combine(root.Path, "link"), Path.Combine(outside.Path, "elsewhere"));
        SaveModel(root.Path, "wider", seed: 3, fixture.Generation.Model.Config with { HiddenSize = 64, HeadDimOverride = 16 });
        Directory.CreateDirectory(Path.Combine(root.Path, "empty"));
        var prompt = fixture.Generation.Encode(Prompt);
        var fromA = LocalGreedy(original, prompt, 8);

        var served = await Serve(original, root.Path, apiKey: "secret");
        try
        {
            async Task Refused(string body, HttpStatusCode status, string says)
            {
                var reply = await Post(served.Http, "update_weights_from_disk", body, status);
                Assert.False(reply.GetProperty("success").GetBoolean());
                Assert.Contains(says, reply.GetProperty("message").GetString());
            }
            await Refused("""{"model_path":"../x"}""", HttpStatusCode.Forbidden, "outside the allowed root");
            await Refused($$"""{"model_path":{{JsonSerializer.Serialize(Path.Combine(outside.Path, "elsewhere"))}}}""", HttpStatusCode.Forbidden, "outside the allowed root");
            await Refused("""{"model_path":"link"}""", HttpStatusCode.Forbidden, "outside the allowed root");
            await Refused("""{"model_path":"a/../link/../elsewhere"}""", HttpStatusCode.Forbidden, "outside the allowed root");
            await Refused("""{"model_path":"wider"}""", HttpStatusCode.BadRequest, "hidden_size 64 (served: 48)");
            await Refused("""{"model_path":"empty"}""", HttpStatusCode.BadRequest, "config.json");
            await Refused("""{"model_path":"missing"}""", HttpStatusCode.BadRequest, "not found");
            await Refused("""{"model_path":7}""", HttpStatusCode.BadRequest, "model_path must be a string");
            await Refused("""{"model_path":"a","abort_all_requests":true}""", HttpStatusCode.BadRequest, "abort_all_requests");
            await Refused("[1]", HttpStatusCode.BadRequest, "JSON object");
            using (var anonymous = new HttpClient { BaseAddress = served.Http.BaseAddress })
                Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("update_weights_from_disk", Json("""{"model_path":"a"}"""))).StatusCode);
            // Nothing refused changed the weights.
            Assert.Equal(fromA, TokenIds(await Post(served.Http, "v1/completions", Greedy(Prompt, 8))));
            Assert.Contains("\"weight_version\":\"0\"", await served.Http.GetStringAsync("v1/models"));
        }
        finally
        {
            await Stop(served);
        }

        var withoutRoot = await Serve(original, root: null);
        try
        {
            var reply = await Post(withoutRoot.Http, "update_weights_from_disk", """{"model_path":"a"}""", HttpStatusCode.Forbidden);
            Assert.Contains("--weights-root", reply.GetProperty("message").GetString());
        }
        finally
        {
            await Stop(withoutRoot);
        }
    }
}
