using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Demo;
using Rlpt.Evaluation;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class DemoSettings : CommonSettings
{
    [CommandOption("--quick")]
    [Description("A tiny model and a few steps of every stage: finishes in under 2 minutes.")]
    public bool Quick { get; init; }
}

/// <summary>rlpt demo: the README's main job, end to end on the default corpus.</summary>
public sealed class DemoCommand : Command<DemoSettings>
{
    public override int Execute(CommandContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        var run = new RunDirectory(settings.Out ?? (settings.Quick ? "runs/demo-quick" : "runs/demo"), settings.Quiet);
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var options = settings.Config is not null
            ? System.Text.Json.JsonSerializer.Deserialize<DemoOptions>(ConfigBinder.ReadObject(settings.Config)) ?? new DemoOptions()
            : settings.Quick ? DemoOptions.Quick : new DemoOptions();
        options.Pretrain.Validate();
        run.WriteConfig(new { command = "demo", device = settings.Device, threads = settings.Threads, demo = options });
        var result = ProgressDisplay.Run(settings.Quiet, display => new DemoPipeline(options, run.Path, device, display).Run(Interrupt.Token), run.Log);

        Console.WriteLine(EvaluationReport.Comparison(result.Evaluations));
        Console.WriteLine($"done in {result.Seconds:F0} s; report: {result.ReportPath}");
        return 0;
    }
}
