namespace Rlpt.Decision.Environments;

/// <summary>A stochastic multi-armed bandit task: pulling an arm draws a reward around that arm's mean.</summary>
public interface IBandit
{
    int Arms { get; }

    /// <summary>The expected reward of an arm (known to the environment, never to a learner).</summary>
    double Mean(int arm);

    double Pull(int arm, Random random);
}

public static class BanditExtensions
{
    public static int BestArm(this IBandit bandit) => Enumerable.Range(0, bandit.Arms).MaxBy(bandit.Mean);

    public static double BestMean(this IBandit bandit) => bandit.Mean(bandit.BestArm());

    /// <summary>The expected regret of pulling <paramref name="arm"/> once: μ* − μ_arm.</summary>
    public static double Regret(this IBandit bandit, int arm) => bandit.BestMean() - bandit.Mean(arm);
}
