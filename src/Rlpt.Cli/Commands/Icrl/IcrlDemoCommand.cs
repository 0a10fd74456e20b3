using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Decision.Demo;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Icrl;

public sealed class IcrlDemoSettings : CommonSettings
{
    [CommandOption("--quick")] [Description("A 5×5 room, a tiny model and a few steps: finishes in seconds.")] public bool Quick { get; init; }
    [CommandOption("--json <FILE>")] [Description("Also write {\"darkroom\": {context_return, dpt_offline_return, dpt_online_returns, optimal_return}} here.")] public string? Json { get; init; }
}

/// <summary>rlpt icrl demo: DPT on Dark Room end to end (data, pretraining, offline and online evaluation, report).</summary>
public sealed class IcrlDemoCommand : Command<IcrlDemoSettings>
{
    public override int Execute(CommandContext context, IcrlDemoSettings settings, CancellationToken cancellationToken)
    {
        var options = settings.Config is not null
            ? System.Text.Json.JsonSerializer.Deserialize<InContextDemoOptions>(ConfigBinder.ReadObject(settings.Config)) ?? new InContextDemoOptions()
            : settings.Quick ? InContextDemoOptions.Quick : new InContextDemoOptions();
        options.Validate();
        var run = new RunDirectory(settings.Out ?? (settings.Quick ? "runs/icrl-demo-quick" : "runs/icrl-demo"), settings.Quiet);
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        run.WriteConfig(new { command = "icrl demo", device = settings.Device, threads = settings.Threads, demo = options });
        var (result, report, seconds) = ProgressDisplay.Run(settings.Quiet, display => new InContextDemo(options, run.Path, device, display).Run(Interrupt.Token), run.Log);
        if (settings.Json is not null) InContextDemo.WriteJson(settings.Json, result);
        var curve = result.OnlineCurve;
        Console.WriteLine($"held-out goals, offline: context {result.ContextReturn}, DPT sampled {result.OfflineSampled}, greedy {result.OfflineGreedy}, optimal {result.OptimalReturn}");
        Console.WriteLine($"online from an empty context: episode 1 {curve[0].Mean:F1}, episode {curve.Length} {curve[^1].Mean:F1} ± {curve[^1].Sem:F1}");
        Console.WriteLine($"done in {seconds:F1} s; report: {report}");
        return 0;
    }
}
