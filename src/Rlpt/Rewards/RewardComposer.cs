namespace Rlpt.Rewards;

/// <summary>
/// Total reward = Σ weight · score over several reward functions (weights are not normalised, so 1·prefix +
/// 0.5·numeric can reach 1.5). The functions run concurrently: each only reads its inputs, and slow ones (a remote
/// judge, the embedding model) then overlap.
/// </summary>
public sealed class RewardComposer
{
    private readonly IReadOnlyList<WeightedReward> _terms;

    public RewardComposer(IEnumerable<WeightedReward> terms)
    {
        _terms = terms.ToArray();
        if (_terms.Count == 0) throw new ArgumentException("A composer needs at least one reward function.", nameof(terms));
        var duplicate = _terms.GroupBy(t => t.Function.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Reward function name '{duplicate.Key}' is used twice; metric names must be unique.", nameof(terms));
        foreach (var term in _terms)
            if (!double.IsFinite(term.Weight)) throw new ArgumentException($"Weight of '{term.Function.Name}' is not finite.", nameof(terms));
    }

    public async Task<ComposedRewards> ScoreAsync(IReadOnlyList<RewardInput> batch, CancellationToken cancellation)
    {
        var results = await Task.WhenAll(_terms.Select(t => t.Function.ScoreAsync(batch, cancellation))).ConfigureAwait(false);
        var total = new double[batch.Count];
        var perFunction = new Dictionary<string, IReadOnlyList<double>>();
        var failures = new Dictionary<string, int>();
        for (var t = 0; t < _terms.Count; t++)
        {
            var name = _terms[t].Function.Name;
            var scores = results[t].Scores;
            if (scores.Count != batch.Count)
                throw new InvalidOperationException($"Reward '{name}' returned {scores.Count} scores for a batch of {batch.Count}.");
            for (var i = 0; i < batch.Count; i++) total[i] += _terms[t].Weight * scores[i];
            perFunction[name] = scores;
            failures[name] = results[t].Failures;
        }
        return new ComposedRewards(total, perFunction, failures);
    }
}
