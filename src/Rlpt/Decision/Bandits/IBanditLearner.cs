namespace Rlpt.Decision.Bandits;

/// <summary>
/// A bandit algorithm: the arm to pull after a history. Online it is called after every pull; offline it is called
/// once on a fixed dataset and its choice is scored by suboptimality μ* − μ_choice.
/// </summary>
public interface IBanditLearner
{
    string Name { get; }

    int Choose(BanditHistory history, Random random);
}

internal static class ArgMax
{
    /// <summary>The index of the largest score; ties go to the lowest index.</summary>
    public static int Of(int count, Func<int, double> score)
    {
        int best = 0;
        double bestScore = double.NegativeInfinity;
        for (int i = 0; i < count; i++)
        {
            double s = score(i);
            if (s > bestScore) (best, bestScore) = (i, s);
        }
        return best;
    }
}
