using System.ComponentModel;
using Rlpt.Decision.Benchmarks;
using Rlpt.Cli.Infrastructure;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

public sealed class BenchOfflineSettings : CommonSettings
{
    [CommandOption("--steps <N>")] [Description("Timed updates of each algorithm after 5 warm-up updates. Default: 50.")] [DefaultValue(50)] public int Steps { get; init; } = 50;
    [CommandOption("--json <FILE>")] [Description("Also write the figures as JSON.")] public string? Json { get; init; }
}

/// <summary>rlpt bench offline: updates/s of every offline algorithm in its default shape, and the environments' steps/s.</summary>
public sealed class BenchOfflineCommand : Command<BenchOfflineSettings>
{
    public override int Execute(CommandContext context, BenchOfflineSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Steps < 1) throw new ArgumentException("--steps must be positive.");
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var results = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar("bench offline", 14);
            int phase = 0;
            return OfflineBenchmark.Run(settings.Steps, device, name => bar.Update(phase++, name));
        });
        BenchOutput.Write("offline RL throughput", results, settings.Json, names: results.Select(r => $"{r.Algorithm} ({r.Environment})").ToArray());
        return 0;
    }
}
