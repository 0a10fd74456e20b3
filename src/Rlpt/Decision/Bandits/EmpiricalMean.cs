namespace Rlpt.Decision.Bandits;

/// <summary>
/// Emp (DPT's baseline): the arm with the highest empirical mean. Online it tries arms never pulled first; offline
/// (<paramref name="tryUnpulledFirst"/> false) it only names arms the data holds, as DPT's offline comparison does.
/// </summary>
public sealed class EmpiricalMean(bool tryUnpulledFirst = true) : IBanditLearner
{
    public string Name => "emp";

    public int Choose(BanditHistory history, Random random) => ArgMax.Of(history.Arms, a =>
        history.CountOf(a) == 0 ? (tryUnpulledFirst ? double.PositiveInfinity : double.NegativeInfinity) : history.MeanOf(a));
}
