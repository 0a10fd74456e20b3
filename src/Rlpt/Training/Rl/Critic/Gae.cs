namespace Rlpt.Training.Rl.Critic;

/// <summary>
/// Generalised advantage estimation (arXiv 1506.02438) over one completion's tokens, as verl's gae estimator computes
/// it: δ_t = r_t + γ·V_{t+1} − V_t with V_T = 0 after the last token, A_t = δ_t + γλ·A_{t+1}, returns R_t = A_t + V_t.
/// The sequence reward is the last token's r_t; the other tokens' are 0.
/// </summary>
public static class Gae
{
    public static (float[] Advantages, float[] Returns) Compute(IReadOnlyList<float> values, double reward, double gamma, double lambda)
    {
        int length = values.Count;
        var advantages = new float[length];
        var returns = new float[length];
        double next = 0, running = 0;
        for (int t = length - 1; t >= 0; t--)
        {
            double tokenReward = t == length - 1 ? reward : 0;
            double delta = tokenReward + gamma * next - values[t];
            running = delta + gamma * lambda * running;
            advantages[t] = (float)running;
            returns[t] = (float)(running + values[t]);
            next = values[t];
        }
        return (advantages, returns);
    }

    /// <summary>
    /// (A − mean) / sqrt(var + 1e-8) over every token of the batch, with the unbiased variance: verl's masked_whiten of
    /// GAE advantages, which keeps the policy step's scale independent of the reward's.
    /// </summary>
    public static float[][] Whiten(IReadOnlyList<float[]> advantages)
    {
        var all = advantages.SelectMany(a => a).ToArray();
        if (all.Length < 2) return advantages.Select(a => a.ToArray()).ToArray();
        double mean = all.Average();
        double variance = all.Sum(a => (a - mean) * (a - mean)) / (all.Length - 1);
        double scale = 1 / Math.Sqrt(variance + 1e-8);
        return advantages.Select(a => a.Select(x => (float)((x - mean) * scale)).ToArray()).ToArray();
    }
}
