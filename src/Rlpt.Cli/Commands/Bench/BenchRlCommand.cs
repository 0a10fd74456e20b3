using System.ComponentModel;
using Rlpt.Benchmarks;
using Rlpt.Cli.Infrastructure;
using Rlpt.Demo;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Training.Rl.Rollouts;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

public sealed class BenchRlSettings : BenchSettings
{
    [CommandOption("--model <DIR>")] [Description("Policy model folder. Default: the demo's cold start, runs/demo/sft/model.")] [DefaultValue("runs/demo/sft/model")] public string Model { get; init; } = "runs/demo/sft/model";
    [CommandOption("--data <DIR>")] [Description("Dataset folder. Default: the demo's, runs/demo/data.")] [DefaultValue("runs/demo/data")] public string Data { get; init; } = "runs/demo/data";
    [CommandOption("--steps <N>")] [Description("Timed GRPO steps after one warm-up step. Default: 10.")] [DefaultValue(10)] public int Steps { get; init; } = 10;
    [CommandOption("--num-generations <G>")] [Description("Completions per prompt. Default: the demo's, 8.")] public int? NumGenerations { get; init; }
    [CommandOption("--rollout-url <URL>")] [Description("Compare local rollouts with rollouts on these engines (repeat for replicas; rlpt serve --weights-root must hold --weight-sync-dir) instead of shared vs unshared prefixes.")] public string[]? RolloutUrl { get; init; }
    [CommandOption("--weight-sync-dir <DIR>")] [Description("With --rollout-url: where the policy is saved for the engines each step.")] public string? WeightSyncDir { get; init; }
    [CommandOption("--context-tokens <N>")] [Description("Context budget of the RLPT prompts (longer prompts favour sharing). Default: the demo's, 192.")] public int? ContextTokens { get; init; }
}

/// <summary>
/// rlpt bench rl: GRPO step time split (generation / reward / training), rollout tokens/s and peak memory, in the demo's
/// configuration, for the shared-prefix path and the unshared one in the same run, and the speedup between them.
/// </summary>
public sealed class BenchRlCommand : Command<BenchRlSettings>
{
    public override int Execute(CommandContext context, BenchRlSettings settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(settings.Model, ModelFolder.ConfigFile))) throw new ArgumentException($"no model folder at {settings.Model} (run `rlpt demo` first or pass --model).");
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var demo = new DemoOptions();
        var grpo = demo.Grpo with { NumGenerations = settings.NumGenerations ?? demo.Grpo.NumGenerations };
        var tasks = demo.Tasks with { ContextTokens = settings.ContextTokens ?? demo.Tasks.ContextTokens };
        grpo.Validate();
        tasks.Validate();
        bool remote = settings.RolloutUrl is { Length: > 0 };
        if (remote && settings.WeightSyncDir is null) throw new ArgumentException("--rollout-url needs --weight-sync-dir (a folder under the engines' --weights-root).");
        var engines = (CausalLM policy, Tokenization.Tokenizer tokenizer) => (IRolloutEngine)new OpenAiRolloutEngine(new RemoteRolloutOptions
        {
            Urls = settings.RolloutUrl!.Select(u => new Uri(u)).ToArray(), SyncDirectory = settings.WeightSyncDir!,
        }, policy, tokenizer);
        var comparison = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar("bench rl", 2 * (settings.Steps + 1));
            return remote
                ? RlStepBenchmark.CompareEngines(settings.Model, settings.Data, grpo, tasks, demo.Rewards, settings.Steps, device, engines, s => bar.Update(s))
                : RlStepBenchmark.Compare(settings.Model, settings.Data, grpo, tasks, demo.Rewards, settings.Steps, device, s => bar.Update(s));
        });
        var setup = new { model = settings.Model, data = settings.Data, grpo, tasks = new { tasks.ContextTokens, tasks.MaxTargetTokens }, rewards = demo.Rewards, rollout_url = settings.RolloutUrl };
        if (remote)
            BenchOutput.Write($"GRPO step, local rollouts vs {settings.RolloutUrl!.Length} engine(s) (step time ×{comparison.StepTimeRatio:F2})", [comparison.Baseline, comparison.Variant], settings.Json, setup,
                results: new { local = comparison.Baseline, remote = comparison.Variant, step_time_ratio = comparison.StepTimeRatio }, names: ["local", "remote"]);
        else
            BenchOutput.Write($"GRPO step, shared prefix vs unshared (speedup {comparison.StepTimeRatio:F2}×)", [comparison.Baseline, comparison.Variant], settings.Json, setup,
                results: new { shared = comparison.Baseline, unshared = comparison.Variant, speedup = comparison.StepTimeRatio }, names: ["shared", "unshared"]);
        return 0;
    }
}
