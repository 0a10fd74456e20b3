namespace Rlpt.Decision.Bandits;

/// <summary>Emp (DPT's baseline): the arm with the highest empirical mean; arms never pulled are tried first.</summary>
public sealed class EmpiricalMean : IBanditLearner
{
    public string Name => "emp";

    public int Choose(BanditHistory history, Random random) =>
        ArgMax.Of(history.Arms, a => history.CountOf(a) == 0 ? double.PositiveInfinity : history.MeanOf(a));
}
