namespace Rlpt.Decision.Bandits;

/// <summary>The pulls a learner has seen on one task: per-arm counts and sums, plus the ordered (arm, reward) list.</summary>
public sealed class BanditHistory(int arms)
{
    private readonly int[] counts = new int[arms];
    private readonly double[] sums = new double[arms];
    private readonly List<(int Arm, double Reward)> pulls = [];

    public int Arms => counts.Length;
    public int Count => pulls.Count;
    public IReadOnlyList<(int Arm, double Reward)> Pulls => pulls;
    public int CountOf(int arm) => counts[arm];
    public double SumOf(int arm) => sums[arm];

    /// <summary>The empirical mean of an arm; NaN for an arm never pulled.</summary>
    public double MeanOf(int arm) => counts[arm] == 0 ? double.NaN : sums[arm] / counts[arm];

    public void Add(int arm, double reward)
    {
        counts[arm]++;
        sums[arm] += reward;
        pulls.Add((arm, reward));
    }

    public static BanditHistory From(int arms, IEnumerable<(int Arm, double Reward)> pulls)
    {
        var history = new BanditHistory(arms);
        foreach (var (arm, reward) in pulls) history.Add(arm, reward);
        return history;
    }
}
