using System.Globalization;
using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Data;
using static TorchSharp.torch;

namespace Rlpt.Decision.Offline.SemiSupervised;

/// <summary>What proxy labelling did: the dataset to train on and how well the inverse dynamics model matched the hidden true actions.</summary>
public sealed record ProxyLabelResult(EpisodeDataset Dataset, EpisodeDataset LabelledOnly, int LabelledEpisodes, int UnlabelledEpisodes, double ActionAgreement, double ActionError);

/// <summary>
/// SS-ORL's setting (Zheng et al., "Semi-supervised offline RL with action-free trajectories", 2023): only a share of
/// the trajectories keep their actions, drawn from the worst-returning half (the hard case they study, where labels
/// are scarce and come from poor behaviour). An inverse dynamics model trained on them proxy-labels every other
/// trajectory; any offline algorithm then trains on the whole, relabelled dataset. The true actions of the
/// unlabelled trajectories are used only to report the model's agreement with them.
/// </summary>
public static class ProxyLabelling
{
    public static ProxyLabelResult Relabel(EpisodeDataset dataset, ActionSpace actions, double labelledShare, double fromWorstShare, int seed, int steps = 3000)
    {
        if (labelledShare is <= 0 or > 1 || fromWorstShare is <= 0 or > 1) throw new ArgumentException("the labelled share and the worst-returning share must be in (0, 1].");
        var returns = dataset.EpisodeReturns();
        var random = new Random(seed);
        var byReturn = Enumerable.Range(0, returns.Length).OrderBy(e => returns[e]).ThenBy(_ => random.Next()).ToArray();
        int pool = Math.Max(1, (int)Math.Round(fromWorstShare * returns.Length));
        int labelledCount = Math.Clamp((int)Math.Round(labelledShare * returns.Length), 1, pool);
        var labelled = byReturn.Take(pool).OrderBy(_ => random.Next()).Take(labelledCount).ToHashSet();
        var labelledRows = RowsOf(dataset, labelled);
        var unlabelledRows = RowsOf(dataset, Enumerable.Range(0, returns.Length).Where(e => !labelled.Contains(e)));
        manual_seed(seed);
        using var model = new InverseDynamicsModel(dataset.ObservationSize, actions);
        model.Fit(dataset, labelledRows, steps, batchSize: 256, learningRate: 1e-3, seed);
        var relabelled = (float[])dataset.Actions.Clone();
        double agreement = 0, error = 0;
        if (unlabelledRows.Count > 0)
        {
            var predicted = model.Label(dataset, unlabelledRows);
            int a = dataset.ActionSize;
            for (int i = 0; i < unlabelledRows.Count; i++)
                for (int j = 0; j < a; j++)
                {
                    float truth = dataset.Actions[unlabelledRows[i] * a + j], guess = predicted[i * a + j];
                    relabelled[unlabelledRows[i] * a + j] = guess;
                    agreement += truth == guess ? 1 : 0;
                    error += Math.Abs(truth - guess);
                }
            agreement /= unlabelledRows.Count * a;
            error /= unlabelledRows.Count * a;
        }
        var metadata = new Dictionary<string, string>(dataset.Metadata)
        {
            ["proxy_labelled_share"] = labelledShare.ToString("R", CultureInfo.InvariantCulture),
            ["proxy_labels_from_worst_share"] = fromWorstShare.ToString("R", CultureInfo.InvariantCulture),
        };
        return new ProxyLabelResult(
            new EpisodeDataset(dataset.ObservationSize, dataset.ActionSize, dataset.Observations, relabelled, dataset.Rewards, dataset.NextObservations, dataset.Terminals, dataset.Timeouts, metadata),
            Subset(dataset, labelledRows), labelled.Count, returns.Length - labelled.Count, agreement, error);
    }

    private static List<int> RowsOf(EpisodeDataset dataset, IEnumerable<int> episodes) =>
        episodes.Order().SelectMany(e => Enumerable.Range(dataset.Episodes[e].Start, dataset.Episodes[e].Length)).ToList();

    /// <summary>The labelled trajectories alone (the baseline that discards the action-free data).</summary>
    private static EpisodeDataset Subset(EpisodeDataset dataset, IReadOnlyList<int> rows)
    {
        int o = dataset.ObservationSize, a = dataset.ActionSize;
        var episodeEnds = dataset.Episodes.Select(e => e.Start + e.Length - 1).ToHashSet();
        return new EpisodeDataset(o, a,
            rows.SelectMany(r => dataset.Observation(r).ToArray()).ToArray(),
            rows.SelectMany(r => dataset.Action(r).ToArray()).ToArray(),
            rows.Select(r => dataset.Rewards[r]).ToArray(),
            rows.SelectMany(r => dataset.NextObservation(r).ToArray()).ToArray(),
            rows.Select(r => dataset.Terminals[r]).ToArray(),
            // An episode the original ended only by being last is marked cut, so it stays whole here too.
            rows.Select(r => dataset.Timeouts[r] || (episodeEnds.Contains(r) && !dataset.Terminals[r])).ToArray(),
            dataset.Metadata);
    }
}
