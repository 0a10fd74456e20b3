using System.Globalization;
using Rlpt.Decision.Environments.Control;

namespace Rlpt.Decision.Offline.Data;

/// <summary>The metadata keys Rlpt writes into datasets, and what it reads back from them.</summary>
public static class DatasetMetadata
{
    /// <summary>The Gymnasium id the data comes from.</summary>
    public const string Environment = "environment";
    /// <summary>random, expert, mixed, noisy or replay (Schweighofer et al.'s dataset kinds).</summary>
    public const string Kind = "kind";
    public const string Seed = "seed";
    /// <summary>The mean episode return of the random and expert policies of the same collection (TQ's and the normalised score's references).</summary>
    public const string RandomReturn = "random_return";
    public const string ExpertReturn = "expert_return";
    /// <summary>discrete or continuous, for datasets whose environment Rlpt does not know.</summary>
    public const string ActionKind = "action_kind";
    public const string ActionCount = "action_count";

    public static (double Random, double Expert)? ReferenceReturns(EpisodeDataset dataset) =>
        dataset.Metadata.TryGetValue(RandomReturn, out var random) && dataset.Metadata.TryGetValue(ExpertReturn, out var expert)
        && double.TryParse(random, NumberStyles.Float, CultureInfo.InvariantCulture, out var r)
        && double.TryParse(expert, NumberStyles.Float, CultureInfo.InvariantCulture, out var e) && e != r
            ? (r, e)
            : null;

    /// <summary>The action space of a dataset with no known environment: discrete when its metadata says so (count from the metadata or the largest index), else a box over the data's range.</summary>
    public static ActionSpace ActionsOf(EpisodeDataset dataset)
    {
        if (dataset.Metadata.GetValueOrDefault(ActionKind) == "discrete")
        {
            int count = dataset.Metadata.TryGetValue(ActionCount, out var text) && int.TryParse(text, out var n) ? n : (int)dataset.Actions.Max() + 1;
            return ActionSpace.OfCount(count);
        }
        return ActionSpace.Box(dataset.ActionSize, dataset.Actions.Min(), dataset.Actions.Max());
    }

    /// <summary>Refuses a dataset whose shapes do not fit the environment it names.</summary>
    public static void CheckMatches(EpisodeDataset dataset, IControlEnvironment environment)
    {
        if (dataset.ObservationSize != environment.ObservationSize || dataset.ActionSize != environment.Actions.Size)
            throw new InvalidDataException($"the dataset's observations ({dataset.ObservationSize}) and actions ({dataset.ActionSize}) do not fit {environment.Id} ({environment.ObservationSize}, {environment.Actions.Size}).");
        if (environment.Actions.Discrete)
            foreach (var action in dataset.Actions)
                if (action != MathF.Round(action) || action < 0 || action >= environment.Actions.Count)
                    throw new InvalidDataException($"the dataset holds action {action}, not an index of {environment.Id}'s {environment.Actions.Count} actions.");
    }
}
