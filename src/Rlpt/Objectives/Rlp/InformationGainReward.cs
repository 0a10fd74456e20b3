using Rlpt.Modeling;
using Rlpt.Training.Rl;

namespace Rlpt.Objectives.Rlp;

/// <summary>
/// RLP's reward for a thought c at position t: r = log p_θ(x_t.. | x_&lt;t, c) − log p_φ(x_t.. | x_&lt;t), the current
/// policy reading the thought against the EMA teacher without one (both without gradient). The thought is the sampled
/// tokens up to its first &lt;/think&gt;; the closing tag is always placed before the scored tokens, so a thought cut off by
/// the length limit is scored like a finished one.
/// </summary>
public sealed class InformationGainReward(CausalLM teacher, int thinkStartId, int thinkEndId) : IRolloutReward
{
    public const string InformationGain = "rlp/information_gain";
    public const string ReasonedLogLikelihood = "rlp/reasoned_log_likelihood";
    public const string BaselineLogLikelihood = "rlp/baseline_log_likelihood";
    public const string ThoughtLength = "rlp/thought_length";

    public Task<IReadOnlyDictionary<string, double>> ScoreAsync(RolloutBatch batch, RlContext context, CancellationToken cancellation)
    {
        var tasks = batch.Groups.Select(g => (RlpTask)g.Prompt.Task).ToArray();
        var baseline = ContinuationScorer.LogLikelihoods(teacher, tasks.Select(t => (t.Context, t.Scored)).ToArray(), context.Tokenizer.PadId);
        var reasonedRows = batch.Groups.SelectMany((g, p) => g.Completions.Select(c => (Prefix: ReasonedPrefix(tasks[p].Context, Thought(c.TokenIds)), tasks[p].Scored))).ToArray();
        var reasoned = ContinuationScorer.LogLikelihoods(context.Policy, reasonedRows, context.Tokenizer.PadId);
        int row = 0;
        for (int p = 0; p < batch.Groups.Count; p++)
        {
            var group = batch.Groups[p];
            for (int i = 0; i < group.Rewards.Length; i++, row++) group.Rewards[i] = reasoned[row] - baseline[p];
            group.RewardTerms["information_gain"] = group.Rewards.ToArray();
        }
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>
        {
            [InformationGain] = batch.Groups.SelectMany(g => g.Rewards).Average(),
            [ReasonedLogLikelihood] = reasoned.Average(),
            [BaselineLogLikelihood] = baseline.Average(),
            [ThoughtLength] = batch.Completions.Average(c => (double)Thought(c.TokenIds).Count),
        };
        return Task.FromResult(metrics);
    }

    /// <summary>The thought's tokens: what was sampled, up to (not including) the first &lt;/think&gt;.</summary>
    public IReadOnlyList<int> Thought(IReadOnlyList<int> sampled)
    {
        int end = sampled.ToList().IndexOf(thinkEndId);
        return end < 0 ? sampled : sampled.Take(end).ToArray();
    }

    /// <summary>x_&lt;t &lt;think&gt; c &lt;/think&gt;: what the policy reads before the scored tokens.</summary>
    public IReadOnlyList<int> ReasonedPrefix(IReadOnlyList<int> context, IReadOnlyList<int> thought) =>
        [.. context, thinkStartId, .. thought, thinkEndId];
}
