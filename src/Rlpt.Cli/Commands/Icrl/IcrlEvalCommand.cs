using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Decision.InContext;
using Rlpt.Decision.InContext.Ad;
using Rlpt.Decision.InContext.Dpt;
using Rlpt.Decision.InContext.Evaluation;
using Rlpt.Decision.Models;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Icrl;

public sealed class IcrlEvalSettings : CommonSettings
{
    [CommandOption("--model <DIR>")] [Description("Model folder of `rlpt icrl train` (OUT/model).")] public string? Model { get; init; }
    [CommandOption("--contexts-per-task <N>")] [Description("Dark Room: offline contexts per held-out task. Default: 5.")] public int? ContextsPerTask { get; init; }
    [CommandOption("--online-episodes <N>")] [Description("Dark Room: online (DPT) or in-context (AD) episodes from an empty context. Default: 40.")] public int? OnlineEpisodes { get; init; }
    [CommandOption("--sample")] [Description("AD: sample actions instead of acting greedily.")] public bool Sample { get; init; }
    [CommandOption("--tasks <N>")] [Description("Bandits: fresh test tasks (default 200). AD on grid families: play only the first N tasks of each split (default: all).")] public int? Tasks { get; init; }
    [CommandOption("--seed <N>")] [Description("Evaluation seed. Default: 7.")] public int? Seed { get; init; }
}

/// <summary>rlpt icrl eval: offline and online in-context evaluation of a model on its family's held-out tasks.</summary>
public sealed class IcrlEvalCommand : Command<IcrlEvalSettings>
{
    public override int Execute(CommandContext context, IcrlEvalSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new ArgumentException("--model is required.");
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        using var model = TransitionModelFolder.Open(settings.Model, device);
        var run = new RunDirectory(settings.Out ?? "runs/icrl/eval", settings.Quiet);
        var family = model.Config.Environment;
        string report;
        if (model.Config.Method == "ad" && !family.IsBandit)
        {
            var defaults = new AdEvaluationOptions();
            var options = defaults with { Episodes = settings.OnlineEpisodes ?? defaults.Episodes, Greedy = !settings.Sample, Seed = settings.Seed ?? defaults.Seed, Tasks = settings.Tasks };
            run.WriteConfig(new { command = "icrl eval", model = settings.Model, environment = family, options });
            var result = ProgressDisplay.Run(settings.Quiet, display =>
            {
                var bar = display.AddBar("evaluate", 2 * options.Episodes);
                int done = 0;
                return AdEvaluation.Run(model, options, device, () => bar.Update(++done));
            });
            report = InContextReport.Write(run.Path, result, settings.Model);
            var train = ReturnStatistics.Curve(result.TrainReturns);
            var heldOut = ReturnStatistics.Curve(result.HeldOutReturns);
            Console.WriteLine($"in-context return, training tasks: episode 1 {train[0].Mean:F2} → episode {train.Length} {train[^1].Mean:F2}; held-out: {heldOut[0].Mean:F2} → {heldOut[^1].Mean:F2} (optimal {result.HeldOutOptimalReturns.Average():F2})");
        }
        else if (family.IsBandit)
        {
            var defaults = new BanditEvaluationOptions();
            var options = defaults with { Tasks = settings.Tasks ?? defaults.Tasks, Seed = settings.Seed ?? defaults.Seed };
            run.WriteConfig(new { command = "icrl eval", model = settings.Model, environment = family, options });
            var result = BanditEvaluation.Run(model, options, device);
            report = InContextReport.Write(run.Path, result, settings.Model);
            foreach (var learner in result.OnlineRegret.Keys) Console.WriteLine($"{learner,-8} online regret {result.FinalRegret(learner)}");
        }
        else
        {
            var defaults = new DarkRoomEvaluationOptions();
            var options = defaults with
            {
                ContextsPerTask = settings.ContextsPerTask ?? defaults.ContextsPerTask,
                OnlineEpisodes = settings.OnlineEpisodes ?? defaults.OnlineEpisodes,
                Seed = settings.Seed ?? defaults.Seed,
            };
            run.WriteConfig(new { command = "icrl eval", model = settings.Model, environment = family, options });
            var result = ProgressDisplay.Run(settings.Quiet, display =>
            {
                var bar = display.AddBar("evaluate", 2 + options.OnlineEpisodes);
                return DarkRoomEvaluation.Run(model, options, device, (done, _) => bar.Update(done));
            });
            report = InContextReport.Write(run.Path, result, settings.Model);
            var curve = result.OnlineCurve;
            Console.WriteLine($"offline return: DPT greedy {result.OfflineGreedy}, sampled {result.OfflineSampled}; context {result.ContextReturn}; optimal {result.OptimalReturn}");
            Console.WriteLine($"online return: episode 1 {curve[0].Mean:F1}, episode {curve.Length} {curve[^1].Mean:F1} ± {curve[^1].Sem:F1}");
        }
        Console.WriteLine($"report: {report}");
        return 0;
    }
}
