using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Data;
using Rlpt.Decision.Offline.SemiSupervised;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Offline;

public sealed class OfflineRelabelSettings : CommonSettings
{
    [CommandOption("--data <FILE>")] [Description("The dataset whose actions are (mostly) to be hidden and proxy-labelled.")] public string? Data { get; init; }
    [CommandOption("--labelled-share <P>")] [Description("Share of trajectories that keep their actions. Default: 0.1.")] [DefaultValue(0.1)] public double LabelledShare { get; init; } = 0.1;
    [CommandOption("--from-worst <P>")] [Description("The labelled trajectories are drawn from this worst-returning share. Default: 0.5.")] [DefaultValue(0.5)] public double FromWorst { get; init; } = 0.5;
    [CommandOption("--steps <N>")] [Description("Inverse dynamics model training steps. Default: 3000.")] [DefaultValue(3000)] public int Steps { get; init; } = 3000;
    [CommandOption("--seed <N>")] [Description("Seed of the labelled draw and the model. Default: 0.")] [DefaultValue(0)] public int Seed { get; init; }
}

/// <summary>rlpt offline relabel: SS-ORL's proxy labels, writing the relabelled dataset and the labelled-only one for comparison.</summary>
public sealed class OfflineRelabelCommand : Command<OfflineRelabelSettings>
{
    public override int Execute(CommandContext context, OfflineRelabelSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Data is null) throw new ArgumentException("--data is required.");
        if (settings.Steps < 1) throw new ArgumentException($"--steps must be positive (got {settings.Steps}).");
        var dataset = EpisodeDatasetFiles.Load(settings.Data);
        var environment = dataset.Metadata.GetValueOrDefault(DatasetMetadata.Environment);
        var actions = environment is { Length: > 0 } ? ControlEnvironments.Create(environment).Actions : DatasetMetadata.ActionsOf(dataset);
        var run = new RunDirectory(settings.Out ?? "runs/offline/relabel", settings.Quiet);
        run.WriteConfig(new { command = "offline relabel", data = settings.Data, labelled_share = settings.LabelledShare, from_worst = settings.FromWorst, steps = settings.Steps, seed = settings.Seed });
        var result = ProxyLabelling.Relabel(dataset, actions, settings.LabelledShare, settings.FromWorst, settings.Seed, settings.Steps);
        EpisodeDatasetFiles.Save(result.Dataset, run.File("relabelled.parquet"));
        EpisodeDatasetFiles.Save(result.LabelledOnly, run.File("labelled_only.parquet"));
        run.WriteJson("relabel.json", new { labelled_episodes = result.LabelledEpisodes, unlabelled_episodes = result.UnlabelledEpisodes, action_agreement = result.ActionAgreement, mean_absolute_action_error = result.ActionError });
        Console.WriteLine($"{result.LabelledEpisodes} labelled and {result.UnlabelledEpisodes} proxy-labelled trajectories; the inverse dynamics model " +
            (actions.Discrete ? $"agrees with {100 * result.ActionAgreement:F1} % of the hidden actions" : $"is off the hidden actions by {result.ActionError:F3} on average") +
            $"; relabelled.parquet and labelled_only.parquet in {run.Path}");
        return 0;
    }
}
