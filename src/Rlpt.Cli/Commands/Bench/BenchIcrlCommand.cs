using System.ComponentModel;
using Rlpt.Decision.Benchmarks;
using Rlpt.Cli.Infrastructure;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

public sealed class BenchIcrlSettings : CommonSettings
{
    [CommandOption("--steps <N>")] [Description("Timed training steps of each method after 3 warm-up steps. Default: 20.")] [DefaultValue(20)] public int Steps { get; init; } = 20;
    [CommandOption("--json <FILE>")] [Description("Also write the figures as JSON.")] public string? Json { get; init; }
}

/// <summary>rlpt bench icrl: DPT and AD training samples/s and in-context acting steps/s in their default shapes.</summary>
public sealed class BenchIcrlCommand : Command<BenchIcrlSettings>
{
    public override int Execute(CommandContext context, BenchIcrlSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Steps < 1) throw new ArgumentException("--steps must be positive.");
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var results = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar("bench icrl", 2);
            int phase = 0;
            return InContextBenchmark.Run(settings.Steps, device, name => bar.Update(phase++, name));
        });
        BenchOutput.Write("in-context RL throughput", results, settings.Json, names: results.Select(r => r.Method).ToArray());
        return 0;
    }
}
