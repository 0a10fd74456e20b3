using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Decision.Environments;
using Rlpt.Decision.InContext.Dpt;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Icrl;

/// <summary>The task family options shared by the icrl commands; unset values take <see cref="TaskFamily"/>'s defaults.</summary>
public class TaskFamilySettings : CommonSettings
{
    [CommandOption("--env <NAME>")] [Description("darkroom, darkroom_permuted, bandit_gaussian, bandit_bernoulli or bandit_linear. Default: darkroom.")] public string? Env { get; init; }
    [CommandOption("--size <N>")] [Description("Dark Room side length. Default: 10.")] public int? Size { get; init; }
    [CommandOption("--horizon <N>")] [Description("Steps per episode, or pulls per bandit task. Default: 100.")] public int? Horizon { get; init; }
    [CommandOption("--arms <N>")] [Description("Bandit arms. Default: 5 (10 for bandit_linear).")] public int? Arms { get; init; }
    [CommandOption("--noise <S>")] [Description("Reward noise σ (Gaussian arms 0.3, linear 1.5).")] public double? Noise { get; init; }
    [CommandOption("--split-seed <N>")] [Description("Seed of the train/held-out task split and linear arm features. Default: 0.")] public int? SplitSeed { get; init; }

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
        };
        family.Validate();
        return family;
    }
}

public sealed class IcrlDataSettings : TaskFamilySettings
{
    [CommandOption("--contexts <N>")] [Description("Training samples (context + query + optimal action). Default: 20000 (DPT: 100000).")] [DefaultValue(20000)] public int Contexts { get; init; } = 20000;
    [CommandOption("--held-out-contexts <N>")] [Description("Samples from held-out tasks, for the held-out loss. Default: 1000.")] [DefaultValue(1000)] public int HeldOutContexts { get; init; } = 1000;
    [CommandOption("--context-length <N>")] [Description("Transitions per context. Default: the horizon.")] public int? ContextLength { get; init; }
    [CommandOption("--seed <N>")] [Description("Sampling seed. Default: 0.")] [DefaultValue(0)] public int Seed { get; init; }
}

/// <summary>rlpt icrl data: DPT pretraining contexts for a task family (train and held-out tasks).</summary>
public sealed class IcrlDataCommand : Command<IcrlDataSettings>
{
    public override int Execute(CommandContext context, IcrlDataSettings settings, CancellationToken cancellationToken)
    {
        var family = settings.Family();
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
}
