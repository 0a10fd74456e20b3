using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Dashboard;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class DashboardSettings : CommandSettings
{
    [CommandOption("--runs <DIR>")] [Description("Folder whose runs are shown (every run folder below it, 5 levels deep). Default: runs.")] [DefaultValue("runs")] public string Runs { get; init; } = "runs";
    [CommandOption("--host <ADDRESS>")] [Description("IP address to bind (no authentication: keep it on loopback). Default: 127.0.0.1.")] [DefaultValue("127.0.0.1")] public string Host { get; init; } = "127.0.0.1";
    [CommandOption("--port <N>")] [Description("Port (0: any free one). Default: 6070.")] [DefaultValue(6070)] public int Port { get; init; } = 6070;
    [CommandOption("-v|--verbose")] [Description("Show error details (stack traces).")] public bool Verbose { get; init; }
}

/// <summary>rlpt dashboard: a local web page of the runs under a folder, updating while they train, until Ctrl-C.</summary>
public sealed class DashboardCommand : AsyncCommand<DashboardSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DashboardSettings settings, CancellationToken cancellationToken)
    {
        await using var server = new DashboardServer(new DashboardOptions { Runs = settings.Runs, Host = settings.Host, Port = settings.Port });
        await server.StartAsync(Interrupt.Token);
        Console.WriteLine($"dashboard of {Path.GetFullPath(settings.Runs)} at {server.Address} (Ctrl-C stops)");
        await server.RunUntilStoppedAsync(Interrupt.Token);
        return 0;
    }
}
