using Rlpt.Training.Rl;

namespace Rlpt.Objectives.Empo;

/// <summary>
/// EMPO's group reward: no reference is read. The G answers of a prompt (each completion's prediction) are clustered by
/// meaning and each is rewarded by its cluster's share, so the policy is pushed towards the answer it gives most often
/// (minimising semantic entropy). The group's normalised entropy is kept for the band filter.
/// </summary>
/// <param name="answer">The answer a completion states, null when it states none (EMPO on RLPT prompts: the prediction between the tags).</param>
public sealed class SemanticClusterReward(EmpoOptions options, Func<string, string?> answer) : IRolloutReward
{
    public const string EntropyStat = "semantic_entropy";
    public const string SemanticEntropy = "empo/semantic_entropy";
    public const string Clusters = "empo/clusters";
    public const string EmptyAnswers = "empo/empty_answers";
    public const string KeptShare = "empo/kept_share";

    public Task<IReadOnlyDictionary<string, double>> ScoreAsync(RolloutBatch batch, RlContext context, CancellationToken cancellation)
    {
        var entropies = new List<double>();
        var clusterCounts = new List<double>();
        int emptyAnswers = 0;
        foreach (var group in batch.Groups)
        {
            var answers = group.Completions.Select(c => answer(c.Text)).ToArray();
            emptyAnswers += answers.Count(a => a is null);
            var clusters = SemanticClusters.Of(answers, AnswerEquivalence.For(options, answers, cancellation));
            clusters.Rewards().CopyTo(group.Rewards, 0);
            group.RewardTerms["cluster_share"] = group.Rewards.ToArray();
            group.Stats[EntropyStat] = clusters.NormalizedEntropy();
            entropies.Add(clusters.Entropy());
            clusterCounts.Add(clusters.Count);
        }
        var filter = new EntropyBandFilter(options);
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>
        {
            [SemanticEntropy] = entropies.Average(),
            [Clusters] = clusterCounts.Average(),
            [EmptyAnswers] = (double)emptyAnswers / batch.Completions.Count(),
            [KeptShare] = batch.Groups.Average(g => filter.Keep(g) ? 1.0 : 0.0),
        };
        return Task.FromResult(metrics);
    }
}
