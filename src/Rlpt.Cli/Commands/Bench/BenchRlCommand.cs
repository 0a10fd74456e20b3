using System.ComponentModel;
using Rlpt.Benchmarks;
using Rlpt.Cli.Infrastructure;
using Rlpt.Demo;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

public sealed class BenchRlSettings : BenchSettings
{
    [CommandOption("--model <DIR>")] [Description("Policy model folder. Default: the demo's cold start, runs/demo/sft/model.")] [DefaultValue("runs/demo/sft/model")] public string Model { get; init; } = "runs/demo/sft/model";
    [CommandOption("--data <DIR>")] [Description("Dataset folder. Default: the demo's, runs/demo/data.")] [DefaultValue("runs/demo/data")] public string Data { get; init; } = "runs/demo/data";
    [CommandOption("--steps <N>")] [Description("Timed GRPO steps after one warm-up step. Default: 10.")] [DefaultValue(10)] public int Steps { get; init; } = 10;
}

/// <summary>rlpt bench rl: GRPO step time split (generation / reward / training), rollout tokens/s and peak memory, in the demo's configuration.</summary>
public sealed class BenchRlCommand : Command<BenchRlSettings>
{
    public override int Execute(CommandContext context, BenchRlSettings settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(settings.Model, ModelFolder.ConfigFile))) throw new ArgumentException($"no model folder at {settings.Model} (run `rlpt demo` first or pass --model).");
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var demo = new DemoOptions();
        var result = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar("bench rl", settings.Steps + 1);
            return RlStepBenchmark.Run(settings.Model, settings.Data, demo.Grpo, demo.Tasks, demo.Rewards, settings.Steps, device, s => bar.Update(s));
        });
        BenchOutput.Write("GRPO step (the demo's configuration)", [result], settings.Json, new { model = settings.Model, data = settings.Data, grpo = demo.Grpo, rewards = demo.Rewards });
        return 0;
    }
}
