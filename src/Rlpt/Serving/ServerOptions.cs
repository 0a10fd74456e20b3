namespace Rlpt.Serving;

/// <summary>Where and as what the OpenAI-compatible server listens.</summary>
public sealed record ServerOptions
{
    /// <summary>IP address to bind, or "localhost". Loopback by default: the server has no authentication.</summary>
    public string Host { get; init; } = "127.0.0.1";

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
    }
}
