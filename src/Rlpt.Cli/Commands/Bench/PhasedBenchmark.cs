using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Modeling;
using Spectre.Console.Cli;
using static TorchSharp.torch;

namespace Rlpt.Cli.Commands.Bench;

/// <summary>The options of a benchmark that times a number of steps per phase.</summary>
public class StepBenchSettings : CommonSettings
{
    [CommandOption("--steps <N>")] [Description("Timed steps of each phase after warm-up (default: bench icrl 20, bench offline 50).")] public int? Steps { get; init; }
    [CommandOption("--json <FILE>")] [Description("Also write the figures as JSON.")] public string? Json { get; init; }
}

/// <summary>Runs a library benchmark of named phases with a progress bar over them, then prints (and saves) its rows.</summary>
internal static class PhasedBenchmark
{
    public static int Run<T>(StepBenchSettings settings, int defaultSteps, string title, int phases, Func<int, Device, Action<string>, IReadOnlyList<T>> run, Func<T, string> name)
    {
        int steps = settings.Steps ?? defaultSteps;
        if (steps < 1) throw new ArgumentException("--steps must be positive.");
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var results = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar(title, phases);
            int phase = 0;
            return run(steps, device, phaseName => bar.Update(phase++, phaseName));
        });
        BenchOutput.Write(title, results, settings.Json, names: results.Select(name).ToArray());
        return 0;
    }
}
