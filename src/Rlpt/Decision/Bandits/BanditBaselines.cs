using Rlpt.Decision.Environments;

namespace Rlpt.Decision.Bandits;

/// <summary>
/// The baselines each bandit family is compared with, as DPT does: offline (naming the best arm after a fixed dataset)
/// Emp, LCB and Thompson sampling's posterior mean (ridge regression on linear bandits); online Emp, UCB and Thompson
/// sampling (Gaussian or Beta prior), LinUCB on linear bandits.
/// </summary>
public static class BanditBaselines
{
    public static IReadOnlyList<IBanditLearner> Offline(TaskFamily family) => family.Name switch
    {
        "bandit_gaussian" => [new EmpiricalMean(tryUnpulledFirst: false), new ConfidenceBound(optimistic: false), new GaussianThompsonSampling(family.Noise, greedy: true)],
        "bandit_linear" => [new EmpiricalMean(tryUnpulledFirst: false), new ConfidenceBound(optimistic: false), new LinUcb(family.LinearFeatures, alpha: 0)],
        _ => [new EmpiricalMean(tryUnpulledFirst: false), new ConfidenceBound(optimistic: false)],
    };

    public static IReadOnlyList<IBanditLearner> Online(TaskFamily family) => family.Name switch
    {
        "bandit_gaussian" => [new EmpiricalMean(), new ConfidenceBound(optimistic: true), new GaussianThompsonSampling(family.Noise)],
        "bandit_bernoulli" => [new EmpiricalMean(), new ConfidenceBound(optimistic: true), new BetaThompsonSampling()],
        "bandit_linear" => [new EmpiricalMean(), new ConfidenceBound(optimistic: true), new LinUcb(family.LinearFeatures)],
        _ => throw new ArgumentException($"{family.Name} is not a bandit family."),
    };
}
