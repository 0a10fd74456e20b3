using System.ComponentModel;
using Rlpt.Benchmarks;
using Rlpt.Cli.Infrastructure;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

public sealed class BenchTrainSettings : BenchSettings
{
    [CommandOption("--sequence-length <N>")] [Description("Default: 256.")] [DefaultValue(256)] public int SequenceLength { get; init; } = 256;
    [CommandOption("--batch-size <N>")] [Description("Default: 16.")] [DefaultValue(16)] public int BatchSize { get; init; } = 16;
    [CommandOption("--steps <N>")] [Description("Timed steps after 3 warm-up steps; 500 also gives a memory-growth figure. Default: 20.")] [DefaultValue(20)] public int Steps { get; init; } = 20;
}

/// <summary>rlpt bench train: training tokens/s, model GFLOPS, GEMM ceiling and their ratio, memory.</summary>
public sealed class BenchTrainCommand : Command<BenchTrainSettings>
{
    public override int Execute(CommandContext context, BenchTrainSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Steps < 1 || settings.BatchSize < 1 || settings.SequenceLength < 2) throw new ArgumentException("--steps, --batch-size and --sequence-length must be positive.");
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var config = ModelPresets.Get(settings.Preset);
        var result = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar($"bench train {settings.Preset}", settings.Steps);
            return TrainingBenchmark.Run(settings.Preset, config, settings.BatchSize, settings.SequenceLength, settings.Steps, device, s => bar.Update(s));
        });
        BenchOutput.Write($"training throughput ({settings.Preset})", [result], settings.Json);
        return 0;
    }
}
