using Rlpt.Decision.Benchmarks;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

/// <summary>rlpt bench icrl: DPT and AD training samples/s (--steps timed steps each, default 20, after 3 warm-up) and in-context acting steps/s in their default shapes.</summary>
public sealed class BenchIcrlCommand : Command<StepBenchSettings>
{
    public override int Execute(CommandContext context, StepBenchSettings settings, CancellationToken cancellationToken) =>
        PhasedBenchmark.Run(settings, 20, "in-context RL throughput", 2, (steps, device, phase) => InContextBenchmark.Run(steps, device, phase), r => r.Method);
}
