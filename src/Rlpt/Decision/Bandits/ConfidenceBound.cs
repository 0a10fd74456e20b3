namespace Rlpt.Decision.Bandits;

/// <summary>
/// UCB and LCB with DPT's bonus: mean ± c·sqrt(1 / n_a) (c = 1). UCB is optimistic and tries unpulled arms first (the
/// online baseline); LCB is pessimistic and never picks an arm it has no data on (the offline baseline).
/// </summary>
public sealed class ConfidenceBound(bool optimistic, double scale = 1.0) : IBanditLearner
{
    public string Name => optimistic ? "ucb" : "lcb";

    public int Choose(BanditHistory history, Random random) => ArgMax.Of(history.Arms, a =>
    {
        int n = history.CountOf(a);
        if (n == 0) return optimistic ? double.PositiveInfinity : double.NegativeInfinity;
        double bonus = scale * Math.Sqrt(1.0 / n);
        return history.MeanOf(a) + (optimistic ? bonus : -bonus);
    });
}
