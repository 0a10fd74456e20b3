namespace Rlpt.Dashboard;

/// <summary>Where `rlpt dashboard` listens and what it shows.</summary>
public sealed record DashboardOptions
{
    /// <summary>The folder whose runs are listed. Default: runs.</summary>
    public string Runs { get; init; } = "runs";
    /// <summary>IP address to bind. Default: loopback (the dashboard has no authentication).</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>Port; 0 picks a free one. Default: 6070.</summary>
    public int Port { get; init; } = 6070;

    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"port must lie in 0..65535 (got {Port}).");
        Serving.BindAddress.Parse(Host);
        if (!Directory.Exists(Runs)) throw new ArgumentException($"runs folder '{Runs}' does not exist.");
    }
}
