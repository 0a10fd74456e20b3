using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Demo;
using Rlpt.Modeling;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands;

public sealed class DemoSettings : CommonSettings
{
    [CommandOption("--quick")]
    [Description("A tiny model and a few steps: finishes in well under 2 minutes.")]
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

        var table = new Table().Border(TableBorder.Simple).AddColumn("prompt").AddColumn("completion");
        foreach (var (prompt, completion) in result.Samples) table.AddRow(Markup.Escape(prompt), Markup.Escape(completion.ReplaceLineEndings(" ")));
        if (!settings.Quiet) AnsiConsole.Write(table);
        Console.WriteLine($"done: {result.Steps} steps, train loss {result.TrainLoss:F3}, held-out loss {result.ValidationLoss:F3} (perplexity {Math.Exp(result.ValidationLoss):F1}) in {result.Seconds:F0} s");
        Console.WriteLine($"report: {result.ReportPath}");
        return 0;
    }
}
