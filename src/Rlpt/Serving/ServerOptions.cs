namespace Rlpt.Serving;

/// <summary>Where and as what the OpenAI-compatible server listens.</summary>
public sealed record ServerOptions
{
    /// <summary>IP address to bind, or "localhost". Default: loopback.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>
    /// When set, every /v1 request must carry <c>Authorization: Bearer KEY</c> (vLLM's --api-key); others get 401.
    /// Default: none.
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>Bind a non-loopback address without an API key (anyone who can reach it may use the model). Default: false.</summary>
    public bool AllowUnauthenticated { get; init; }

    /// <summary>
    /// The directory under which POST /update_weights_from_disk may read model folders (after following .. and symbolic
    /// links); null (default) turns weight updates off.
    /// </summary>
    public string? WeightsRoot { get; init; }

    /// <summary>Request bodies larger than this get 413. Default: 8 MiB.</summary>
    public long MaxRequestBodyBytes { get; init; } = 8L << 20;

    /// <summary>A request's n × max_tokens above this gets 400 (what it asks the model to generate). Default: 262,144.</summary>
    public long MaxGeneratedTokensPerRequest { get; init; } = 1L << 18;

    /// <summary>Completion requests served at once (streaming or not); more get 429. Default: 64.</summary>
    public int MaxConcurrentRequests { get; init; } = 64;

    /// <summary>A client must send its request headers within this time (slow clients are cut off). Default: 10 s.</summary>
    public TimeSpan HeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>TCP port; 0 picks a free one (read <see cref="OpenAiServer.BaseAddress"/> after starting).</summary>
    public int Port { get; init; } = 8000;

    /// <summary>The id clients pass as "model"; requests naming another model get 404.</summary>
    public string ModelName { get; init; } = "rlpt";

    /// <summary>How long shutdown waits for in-flight requests before cutting them off.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"port must be in 0..65535 (got {Port}).");
        if (string.IsNullOrWhiteSpace(ModelName)) throw new ArgumentException("the model name must not be empty.");
        if (ShutdownTimeout < TimeSpan.Zero) throw new ArgumentException("the shutdown timeout must not be negative.");
        if (ApiKey is { Length: 0 }) throw new ArgumentException("the API key must not be empty.");
        if (MaxRequestBodyBytes < 1 || MaxGeneratedTokensPerRequest < 1 || MaxConcurrentRequests < 1 || HeadersTimeout <= TimeSpan.Zero)
            throw new ArgumentException("the server's limits (body size, generated tokens, concurrent requests, headers timeout) must be positive.");
        if (WeightsRoot is not null && !Directory.Exists(WeightsRoot)) throw new ArgumentException($"the weights root {WeightsRoot} is not a directory.");
        if (ApiKey is null && !AllowUnauthenticated && !BindAddress.IsLoopback(Host))
            throw new ArgumentException($"refusing to serve on {Host} without authentication: pass --api-key KEY (or RLPT_API_KEY), or --allow-unauthenticated to serve anyone who can reach it.");
    }
}
