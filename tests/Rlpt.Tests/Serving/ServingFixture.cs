using Rlpt.Generation;
using Rlpt.Serving;
using Rlpt.Tests.Generation;

namespace Rlpt.Tests.Serving;

/// <summary>The generation tests' tiny model and tokenizer, plus servers over it on 127.0.0.1 (a free port each).</summary>
public sealed class ServingFixture : IDisposable
{
    public const string ModelName = "tiny";

    public GenerationFixture Generation { get; } = new();

    public async Task<TestServer> StartAsync(EngineOptions? options = null, ServerOptions? serverOptions = null)
    {
        var engine = new BatchingEngine(Generation.Model, Generation.Tokenizer, options);
        var server = new OpenAiServer(engine, (serverOptions ?? new ServerOptions()) with { Port = 0, ModelName = ModelName });
        await server.StartAsync();
        return new TestServer(engine, server);
    }

    /// <summary>What one row decodes to alone, straight from the generator (the reference for served text).</summary>
    public GenerationResult Alone(IReadOnlyList<int> prompt, SamplingOptions options) =>
        new BatchGenerator(Generation.Model, Generation.Tokenizer).Generate([new GenerationRequest(prompt, options)])[0];

    public void Dispose() => Generation.Dispose();
}

public sealed class TestServer(BatchingEngine engine, OpenAiServer server) : IAsyncDisposable
{
    public BatchingEngine Engine { get; } = engine;
    public OpenAiServer Server { get; } = server;
    public HttpClient Http { get; } = new() { BaseAddress = new Uri(server.BaseAddress + "/") };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
        await Engine.DisposeAsync();
    }
}
