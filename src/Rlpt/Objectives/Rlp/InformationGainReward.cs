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
        var (baseline, reasoned) = LogLikelihoods(context.Policy, tasks, batch.Groups.Select(g => g.Completions.Select(c => c.TokenIds).ToArray()).ToArray(), context.Tokenizer.PadId);
        for (int p = 0; p < batch.Groups.Count; p++)
        {
            var group = batch.Groups[p];
            for (int i = 0; i < group.Rewards.Length; i++) group.Rewards[i] = reasoned[p][i] - baseline[p];
            group.RewardTerms["information_gain"] = group.Rewards.ToArray();
        }
        IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>
        {
            [InformationGain] = batch.Groups.SelectMany(g => g.Rewards).Average(),
            [ReasonedLogLikelihood] = reasoned.SelectMany(r => r).Average(),
            [BaselineLogLikelihood] = baseline.Average(),
            [ThoughtLength] = batch.Completions.Average(c => (double)Thought(c.TokenIds).Count),
        };
        return Task.FromResult(metrics);
    }

    /// <summary>
    /// log p_φ(scored | context) of each task under the teacher, and log p_θ(scored | context, thought) under
    /// <paramref name="policy"/> for each sampled thought of the task.
    /// </summary>
    public (double[] Baseline, double[][] Reasoned) LogLikelihoods(CausalLM policy, IReadOnlyList<RlpTask> tasks, IReadOnlyList<IReadOnlyList<IReadOnlyList<int>>> sampled, int padId)
    {
        var baseline = ContinuationScorer.LogLikelihoods(teacher, tasks.Select(t => (t.Context, t.Scored)).ToArray(), padId);
        var rows = tasks.SelectMany((task, p) => sampled[p].Select(s => (Prefix: ReasonedPrefix(task.Context, Thought(s)), task.Scored))).ToArray();
        var flat = ContinuationScorer.LogLikelihoods(policy, rows, padId);
        int row = 0;
        var reasoned = sampled.Select(thoughts => thoughts.Select(_ => flat[row++]).ToArray()).ToArray();
        return (baseline, reasoned);
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
