using Rlpt.Decision.Environments;

namespace Rlpt.Decision.Bandits;

/// <summary>A learner playing a bandit task online from an empty history.</summary>
public static class OnlinePlay
{
    /// <summary>Cumulative expected regret Σ_{s≤t} (μ* − μ_{a_s}) after each of <paramref name="horizon"/> pulls.</summary>
    public static double[] CumulativeRegret(IBanditLearner learner, IBandit bandit, int horizon, Random random)
    {
        var history = new BanditHistory(bandit.Arms);
        var cumulative = new double[horizon];
        double total = 0;
        for (int step = 0; step < horizon; step++)
        {
            int arm = learner.Choose(history, random);
            history.Add(arm, bandit.Pull(arm, random));
            cumulative[step] = total += bandit.Regret(arm);
        }
        return cumulative;
    }
}
