using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Rlpt.Generation;
using Rlpt.Interop.HuggingFace;
using Rlpt.IO;

namespace Rlpt.Serving;

/// <summary>
/// An OpenAI-compatible HTTP server (ASP.NET Core minimal APIs on Kestrel) over a <see cref="BatchingEngine"/>:
/// <c>GET /v1/models</c>, <c>POST /v1/chat/completions</c> and <c>POST /v1/completions</c>, whole or streamed as
/// server-sent events. Concurrent requests share the engine's batches; a full queue answers 429. Stopping (Ctrl-C,
/// SIGTERM or <see cref="StopAsync"/>) closes the listener, lets in-flight requests finish (up to
/// <see cref="ServerOptions.ShutdownTimeout"/>), then returns. The server does not own the engine.
/// </summary>
public sealed class OpenAiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly BatchingEngine engine;
    private readonly ServerOptions options;
    private int activeRequests;
    private int updatesApplied;

    public OpenAiServer(BatchingEngine engine, ServerOptions? options = null)
    {
        this.options = options ?? new ServerOptions();
        this.options.Validate();
        this.engine = engine;
        var address = BindAddress.Parse(this.options.Host);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, this.options.Port);
            kestrel.Limits.MaxRequestBodySize = this.options.MaxRequestBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = this.options.HeadersTimeout;
            // A body trickling in slower than this (after a 5 s grace) is cut off: slow clients cannot hold a slot.
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = this.options.ShutdownTimeout);
        app = builder.Build();
        if (this.options.ApiKey is { } key) app.Use(RequireKey(key));
        app.MapGet("/v1/models", Models);
        app.MapPost("/v1/chat/completions", context => Complete(context, chat: true));
        app.MapPost("/v1/completions", context => Complete(context, chat: false));
        app.MapPost("/update_weights_from_disk", UpdateWeightsFromDisk);
        app.MapGet("/metrics", Metrics);
        app.MapFallback(context => WriteError(context, new ApiError(404, $"no route {context.Request.Method} {context.Request.Path}.", code: "not_found")));
    }

    /// <summary>The API base, e.g. http://127.0.0.1:8000/v1 (the bound port when <see cref="ServerOptions.Port"/> is 0); valid once started.</summary>
    public Uri BaseAddress => new(app.Urls.First().TrimEnd('/') + "/v1");

    public Task StartAsync(CancellationToken cancellation = default) => app.StartAsync(cancellation);

    /// <summary>Stops gracefully: no new connections, in-flight requests finish.</summary>
    public Task StopAsync(CancellationToken cancellation = default) => app.StopAsync(cancellation);

    /// <summary>Once started: serves until Ctrl-C, SIGTERM or <paramref name="cancellation"/>, then stops gracefully.</summary>
    public Task RunUntilStoppedAsync(CancellationToken cancellation = default) => app.WaitForShutdownAsync(cancellation);

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private Task Models(HttpContext context) => WriteJson(context, 200, new JsonObject
    {
        ["object"] = "list",
        ["data"] = new JsonArray(new JsonObject
        {
            ["id"] = options.ModelName, ["object"] = "model", ["created"] = 0, ["owned_by"] = "rlpt", ["max_model_len"] = engine.ContextLength,
            ["weight_version"] = engine.WeightVersion,
        }),
    });

    /// <summary>
    /// The engine's counters in Prometheus' text format, as vLLM's /metrics serves its own (names prefixed rlpt:), so
    /// an operator or a test can see what each replica did.
    /// </summary>
    private Task Metrics(HttpContext context)
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, double value)
        {
            text.Append($"# HELP rlpt:{name} {help}\n# TYPE rlpt:{name} {type}\n");
            text.Append(FormattableString.Invariant($"rlpt:{name}{{model_name=\"{options.ModelName}\"}} {value}\n"));
        }
        Metric("requests_running", "gauge", "Completion requests being served.", Volatile.Read(ref activeRequests));
        Metric("rows_waiting", "gauge", "Rows queued for the batch.", engine.Waiting);
        Metric("rows_decoded_total", "counter", "Rows that went through the batch.", engine.RowsDecoded);
        Metric("rows_cancelled_total", "counter", "Rows finished early because their client left.", engine.RowsCancelled);
        Metric("admissions_total", "counter", "Times rows joined the batch.", engine.Batches);
        Metric("weight_updates_total", "counter", "Weight updates applied.", Volatile.Read(ref updatesApplied));
        context.Response.ContentType = "text/plain; version=0.0.4";
        return context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }

    /// <summary>
    /// SGLang's weight update: <c>{"model_path": DIR, "weight_version"?: NAME}</c> loads a model folder of the served
    /// architecture (read only under <see cref="ServerOptions.WeightsRoot"/>) and swaps it in between decoding steps:
    /// requests running finish on the old weights, none is dropped. Replies <c>{"success", "message"}</c>, 400 with the
    /// reason when the folder is refused (403 when updates are off or the path leaves the root).
    /// </summary>
    private async Task UpdateWeightsFromDisk(HttpContext context)
    {
        int status;
        string message;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var update = WeightUpdateRequest.Read(body.RootElement);
            if (options.WeightsRoot is not { } root)
                throw new UnauthorizedAccessException("weight updates are off: start rlpt serve with --weights-root DIR to allow folders under DIR.");
            var folder = ConfinedPath.Resolve(root, update.ModelPath);
            string version = update.WeightVersion ?? (Volatile.Read(ref updatesApplied) + 1).ToString();
            var weights = WeightUpdateRequest.LoadWeights(folder, engine.ModelConfig);
            try
            {
                await engine.UpdateWeightsAsync(model =>
                {
                    using var scope = TorchSharp.torch.NewDisposeScope();
                    ModelFolder.LoadWeights(model, weights, folder);
                }, version);
            }
            finally
            {
                foreach (var tensor in weights.Values) tensor.Dispose();
            }
            Interlocked.Increment(ref updatesApplied);
            (status, message) = (200, $"weights of {folder} loaded as version {version}.");
        }
        catch (Exception error) when (error is UnauthorizedAccessException)
        {
            (status, message) = (403, error.Message);
        }
        catch (Exception error) when (error is JsonException or ArgumentException or IOException or InvalidDataException or NotSupportedException)
        {
            (status, message) = (400, error.Message);
        }
        catch (EngineStoppedException stopping)
        {
            (status, message) = (503, stopping.Message);
        }
        await WriteJson(context, status, new JsonObject { ["success"] = status == 200, ["message"] = message, ["num_paused_requests"] = 0 });
    }

    /// <summary>
    /// vLLM's --api-key: every request needs "Authorization: Bearer KEY" (the weight-update route too). The comparison is of SHA-256 digests in
    /// constant time, so neither the key's bytes nor its length leak through response timing.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> RequireKey(string key)
    {
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return (context, next) =>
        {
            string header = context.Request.Headers.Authorization.ToString();
            var given = SHA256.HashData(Encoding.UTF8.GetBytes(header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : ""));
            if (CryptographicOperations.FixedTimeEquals(given, expected)) return next(context);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return WriteError(context, new ApiError(401, "invalid or missing API key: send Authorization: Bearer KEY.", code: "invalid_api_key"));
        };
    }

    private async Task Complete(HttpContext context, bool chat)
    {
        if (Interlocked.Increment(ref activeRequests) > options.MaxConcurrentRequests)
        {
            Interlocked.Decrement(ref activeRequests);
            await WriteError(context, new ApiError(429, $"more than {options.MaxConcurrentRequests} requests at once; retry later.", code: "too_many_requests", type: "rate_limit_error"));
            return;
        }
        try
        {
            await Serve(context, chat);
        }
        finally
        {
            Interlocked.Decrement(ref activeRequests);
        }
    }

    private async Task Serve(HttpContext context, bool chat)
    {
        OpenAiRequest request;
        IReadOnlyList<GenerationStream> streams;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            request = OpenAiRequest.Read(body.RootElement, chat, engine, options.ModelName);
            var rows = request.Rows(engine);
            long asked = rows.Sum(r => (long)r.Options.MaxNewTokens);
            if (asked > options.MaxGeneratedTokensPerRequest)
                throw ApiError.BadRequest($"the request asks for up to {asked:N0} generated tokens (n × max_tokens × prompts); the limit is {options.MaxGeneratedTokensPerRequest:N0}.", "max_tokens");
            // The connection's abort token cancels the rows: a client that goes away stops using the model.
            streams = engine.Submit(rows, context.RequestAborted);
        }
        catch (Exception error) when (AsApiError(error, chat) is { } refusal)
        {
            await WriteError(context, refusal);
            return;
        }

        var responses = new OpenAiResponses(chat, options.ModelName, request, engine.Tokenizer);
        int promptTokens = request.Prompts.Sum(p => p.Count);
        try
        {
            if (request.Stream) await Stream(context, streams, responses, request.IncludeUsage, promptTokens, chat);
            else await WriteJson(context, 200, responses.Whole(await Task.WhenAll(streams.Select(s => s.Result)), promptTokens));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; its rows were cancelled with it.
        }
        catch (Exception error) when (!context.Response.HasStarted)
        {
            // A fault in the engine (its batch failed): a bug, reported in the answer and on stderr rather than as a bare 500.
            Console.Error.WriteLine($"rlpt serve: a request failed: {error}");
            await WriteError(context, new ApiError(500, $"generation failed: {error.Message}", type: "server_error"));
        }
    }

    private static ApiError? AsApiError(Exception error, bool chat) => error switch
    {
        ApiError refusal => refusal,
        Microsoft.AspNetCore.Http.BadHttpRequestException bad => new ApiError(bad.StatusCode, bad.StatusCode == 413 ? "the request body is larger than the server accepts." : bad.Message, code: bad.StatusCode == 413 ? "request_too_large" : null),
        JsonException json => ApiError.BadRequest($"could not parse the JSON body: {json.Message}"),
        ContextLengthExceededException context => ApiError.BadRequest(context.Message, chat ? "messages" : "prompt", "context_length_exceeded"),
        ArgumentException invalid => ApiError.BadRequest(invalid.Message),
        QueueFullException full => new ApiError(429, full.Message, code: "queue_full", type: "rate_limit_error"),
        EngineStoppedException stopping => new ApiError(503, stopping.Message, code: "shutting_down", type: "server_error"),
        _ => null,
    };

    /// <summary>Server-sent events: each choice's chunks as its text arrives (choices interleave), then [DONE].</summary>
    private static async Task Stream(HttpContext context, IReadOnlyList<GenerationStream> streams, OpenAiResponses responses, bool includeUsage, int promptTokens, bool chat)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var events = Channel.CreateUnbounded<JsonObject>();
        async Task Pump(GenerationStream stream, int index)
        {
            if (chat) await events.Writer.WriteAsync(responses.Chunk(index, "", null, first: true));
            await foreach (var delta in stream.Deltas.ReadAllAsync()) await events.Writer.WriteAsync(responses.Chunk(index, delta, null));
            var result = await stream.Result;
            await events.Writer.WriteAsync(responses.Chunk(index, chat ? null : "", OpenAiResponses.FinishReason(result)));
        }
        var pumps = Task.WhenAll(streams.Select(Pump));
        _ = pumps.ContinueWith(t => events.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);

        await context.Response.StartAsync(context.RequestAborted);
        try
        {
            await foreach (var chunk in events.Reader.ReadAllAsync(context.RequestAborted)) await WriteEvent(context, chunk.ToJsonString());
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Headers are gone, so a failure mid-stream can only be reported as an event.
            await WriteEvent(context, new ApiError(500, error.Message, type: "server_error").ToJson().ToJsonString());
            return;
        }
        if (includeUsage) await WriteEvent(context, responses.UsageChunk(await Task.WhenAll(streams.Select(s => s.Result)), promptTokens).ToJsonString());
        await WriteEvent(context, "[DONE]");
    }

    private static async Task WriteEvent(HttpContext context, string data)
    {
        await context.Response.WriteAsync($"data: {data}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static Task WriteError(HttpContext context, ApiError error) => WriteJson(context, error.Status, error.ToJson());

    private static async Task WriteJson(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
