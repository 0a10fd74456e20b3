using System.Net;

namespace Rlpt.Serving;

/// <summary>The address a local HTTP server (the OpenAI server, the dashboard) binds: an IP address or "localhost".</summary>
public static class BindAddress
{
    public static IPAddress Parse(string host) =>
        host == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(host, out var address) ? address
        : throw new ArgumentException($"host must be an IP address or localhost (got '{host}').");

    public static bool IsLoopback(string host) => IPAddress.IsLoopback(Parse(host));
}
