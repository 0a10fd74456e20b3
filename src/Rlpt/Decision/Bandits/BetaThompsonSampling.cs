using Rlpt.Decision.Environments;

namespace Rlpt.Decision.Bandits;

/// <summary>Thompson sampling for Bernoulli arms with a uniform Beta(1, 1) prior: draw p_a ~ Beta(1 + s_a, 1 + f_a), pull the largest.</summary>
public sealed class BetaThompsonSampling : IBanditLearner
{
    public string Name => "ts";

    public int Choose(BanditHistory history, Random random) => ArgMax.Of(history.Arms, a =>
    {
        double successes = history.SumOf(a);
        return random.NextBeta(1 + successes, 1 + history.CountOf(a) - successes);
    });
}
