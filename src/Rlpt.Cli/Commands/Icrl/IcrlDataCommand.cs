using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Decision.Environments;
using Rlpt.Decision.InContext.Ad;
using Rlpt.Decision.InContext.Dpt;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Icrl;

/// <summary>The task family options shared by the icrl commands; unset values take <see cref="TaskFamily"/>'s defaults.</summary>
public class TaskFamilySettings : CommonSettings
{
    [CommandOption("--env <NAME>")] [Description("darkroom, darkroom_permuted, keytodoor (AD only; AD's is --size 9 --horizon 50 --start center), bandit_gaussian, bandit_bernoulli or bandit_linear. Default: darkroom.")] public string? Env { get; init; }
    [CommandOption("--size <N>")] [Description("Grid side length (darkroom, keytodoor). Default: 10.")] public int? Size { get; init; }
    [CommandOption("--horizon <N>")] [Description("Steps per episode, or pulls per bandit task. Default: 100.")] public int? Horizon { get; init; }
    [CommandOption("--arms <N>")] [Description("Bandit arms. Default: 5 (10 for bandit_linear).")] public int? Arms { get; init; }
    [CommandOption("--noise <S>")] [Description("Reward noise σ (Gaussian arms 0.3, linear 1.5).")] public double? Noise { get; init; }
    [CommandOption("--split-seed <N>")] [Description("Seed of the train/held-out task split and linear arm features. Default: 0.")] public int? SplitSeed { get; init; }
    [CommandOption("--start <CELL>")] [Description("Grid start cell: corner (DPT) or center (AD's 9×9 room). Default: corner.")] public string? Start { get; init; }
    [CommandOption("--train-tasks <N>")] [Description("Grid families: train on only the first N tasks of the training split. Default: all.")] public int? TrainTasks { get; init; }

    public TaskFamily Family()
    {
        var defaults = new TaskFamily();
        var family = defaults with
        {
            Name = Env ?? defaults.Name,
            Size = Size ?? defaults.Size,
            Horizon = Horizon ?? defaults.Horizon,
            ArmsOverride = Arms,
            NoiseOverride = Noise,
            SplitSeed = SplitSeed ?? defaults.SplitSeed,
            Start = Start ?? defaults.Start,
            TrainTasks = TrainTasks,
        };
        family.Validate();
        return family;
    }
}

public sealed class IcrlDataSettings : TaskFamilySettings
{
    [CommandOption("--method <NAME>")] [Description("dpt (contexts + query + optimal action) or ad (learning histories of a source learner). Default: dpt.")] [DefaultValue("dpt")] public string Method { get; init; } = "dpt";
    [CommandOption("--source <NAME>")] [Description("AD: the learner whose histories are recorded: epsilon (AD^ε: optimal policy, ε decaying 1 → 0) or qlearning on grid families; ts, linucb, ucb or emp on bandits. Default: epsilon.")] [DefaultValue("epsilon")] public string Source { get; init; } = "epsilon";
    [CommandOption("--histories-per-task <N>")] [Description("AD: learning histories per training task. Default: 20.")] [DefaultValue(20)] public int HistoriesPerTask { get; init; } = 20;
    [CommandOption("--episodes <N>")] [Description("AD: episodes per learning history. Default: 40.")] [DefaultValue(40)] public int Episodes { get; init; } = 40;
    [CommandOption("--slowest-learner <S>")] [Description("AD: histories of varied quality: each history's learner gets a speed drawn log-uniformly from [[S, 1]] (ε decays 1/speed times slower; Q-learning's step size is 0.5·speed). Default: 1 (all alike).")] [DefaultValue(1.0)] public double SlowestLearner { get; init; } = 1;
    [CommandOption("--action-noise <P>")] [Description("AD: share of executed actions replaced by uniform random ones (LHF's noisy data: 0.3). Default: 0.")] [DefaultValue(0.0)] public double ActionNoise { get; init; }
    [CommandOption("--contexts <N>")] [Description("DPT: training samples (context + query + optimal action); AD on bandits: histories, one task each. Default: 20000 (DPT: 100000).")] [DefaultValue(20000)] public int Contexts { get; init; } = 20000;
    [CommandOption("--held-out-contexts <N>")] [Description("Samples from held-out tasks, for the held-out loss. Default: 1000.")] [DefaultValue(1000)] public int HeldOutContexts { get; init; } = 1000;
    [CommandOption("--context-length <N>")] [Description("Transitions per context. Default: the horizon.")] public int? ContextLength { get; init; }
    [CommandOption("--seed <N>")] [Description("Sampling seed. Default: 0.")] [DefaultValue(0)] public int Seed { get; init; }
}

/// <summary>rlpt icrl data: pretraining data for a task family: DPT contexts, or AD learning histories (train and held-out tasks).</summary>
public sealed class IcrlDataCommand : Command<IcrlDataSettings>
{
    public override int Execute(CommandContext context, IcrlDataSettings settings, CancellationToken cancellationToken)
    {
        var family = settings.Family();
        if (settings.Method == "ad") return Histories(settings, family);
        if (settings.Method != "dpt") throw new ArgumentException($"unknown --method '{settings.Method}' (dpt, ad).");
        int length = settings.ContextLength ?? family.Horizon;
        if (settings.Contexts < 1 || settings.HeldOutContexts < 1 || length < 1) throw new ArgumentException("--contexts, --held-out-contexts and --context-length must be positive.");
        var run = new RunDirectory(settings.Out ?? "runs/icrl/data", settings.Quiet);
        run.WriteConfig(new { command = "icrl data", environment = family, contexts = settings.Contexts, held_out_contexts = settings.HeldOutContexts, context_length = length, seed = settings.Seed });
        var train = ContextSampling.Build(family, settings.Contexts, length, settings.Seed, heldOut: false);
        var heldOut = ContextSampling.Build(family, settings.HeldOutContexts, length, settings.Seed, heldOut: true);
        train.Save(run.File(TransitionContexts.TrainFile));
        heldOut.Save(run.File(TransitionContexts.HeldOutFile));
        double meanReturn = Enumerable.Range(0, train.Count).Average(train.ContextReturn);
        Console.WriteLine($"{family.Name}: {train.Count:N0} training and {heldOut.Count:N0} held-out contexts of {length} transitions " +
            $"(mean reward per context {meanReturn:F2}) in {run.Path}");
        return 0;
    }

    private static int Histories(IcrlDataSettings settings, TaskFamily family)
    {
        var run = new RunDirectory(settings.Out ?? "runs/icrl/histories", settings.Quiet);
        if (family.IsBandit) return BanditHistories(settings, family, run);
        if (!SourceLearners.Names.Contains(settings.Source)) throw new ArgumentException($"unknown --source '{settings.Source}' (epsilon, qlearning).");
        run.WriteConfig(new { command = "icrl data", method = "ad", environment = family, source = settings.Source, histories_per_task = settings.HistoriesPerTask, episodes = settings.Episodes, action_noise = settings.ActionNoise, slowest_learner = settings.SlowestLearner, seed = settings.Seed });
        var train = HistoryCollection.Collect(family, settings.Source, settings.HistoriesPerTask, settings.Episodes, settings.ActionNoise, settings.Seed, slowestSpeed: settings.SlowestLearner);
        var heldOut = HistoryCollection.Collect(family, settings.Source, 1, settings.Episodes, settings.ActionNoise, settings.Seed, heldOut: true, slowestSpeed: settings.SlowestLearner);
        train.Save(run.File(LearningHistories.TrainFile));
        heldOut.Save(run.File(LearningHistories.HeldOutFile));
        var returns = Enumerable.Range(0, train.Count).Select(train.EpisodeReturns).ToArray();
        Console.WriteLine($"{family.Name}: {train.Count:N0} learning histories of {settings.Episodes} episodes ({train.Source}); " +
            $"mean return first episode {returns.Average(r => r[0]):F2}, last {returns.Average(r => r[^1]):F2}; held-out: {heldOut.Count} histories; in {run.Path}");
        return 0;
    }

    /// <summary>Lin, Bai &amp; Mei's data: a bandit algorithm's histories on --contexts fresh tasks (one episode of horizon pulls each).</summary>
    private static int BanditHistories(IcrlDataSettings settings, TaskFamily family, RunDirectory run)
    {
        run.WriteConfig(new { command = "icrl data", method = "ad", environment = family, source = settings.Source, histories = settings.Contexts, seed = settings.Seed });
        var train = HistoryCollection.CollectBandit(family, settings.Source, settings.Contexts, settings.Seed);
        var heldOut = HistoryCollection.CollectBandit(family, settings.Source, settings.HeldOutContexts, settings.Seed, heldOut: true);
        train.Save(run.File(LearningHistories.TrainFile));
        heldOut.Save(run.File(LearningHistories.HeldOutFile));
        Console.WriteLine($"{family.Name}: {train.Count:N0} + {heldOut.Count:N0} histories of {family.Horizon} pulls by {settings.Source} in {run.Path}");
        return 0;
    }
}
