namespace Rlpt.Decision.Environments;

/// <summary>Bernoulli arms with success probabilities p_a ~ U[0, 1] (Lin, Bai &amp; Mei's Bernoulli bandit, 5 arms).</summary>
public sealed class BernoulliBandit(IReadOnlyList<double> probabilities) : IBandit
{
    public IReadOnlyList<double> Probabilities { get; } = probabilities;
    public int Arms => Probabilities.Count;
    public double Mean(int arm) => Probabilities[arm];
    public double Pull(int arm, Random random) => random.NextDouble() < Probabilities[arm] ? 1.0 : 0.0;

    public static BernoulliBandit Sample(Random random, int arms = 5) =>
        new(Enumerable.Range(0, arms).Select(_ => random.NextDouble()).ToArray());
}
