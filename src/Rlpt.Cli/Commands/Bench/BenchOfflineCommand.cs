using Rlpt.Decision.Benchmarks;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

/// <summary>rlpt bench offline: updates/s of every offline algorithm in its default shape (--steps timed updates each, default 50, after 5 warm-up), and the environments' steps/s.</summary>
public sealed class BenchOfflineCommand : Command<StepBenchSettings>
{
    public override int Execute(CommandContext context, StepBenchSettings settings, CancellationToken cancellationToken) =>
        PhasedBenchmark.Run(settings, 50, "offline RL throughput", 14, (steps, device, phase) => OfflineBenchmark.Run(steps, device, phase), r => $"{r.Algorithm} ({r.Environment})");
}
