namespace Rlpt.Objectives.Empo;

/// <summary>
/// A group's answers clustered by meaning. Each answer joins the first cluster whose first member it means the same as;
/// an empty or unparsable answer (null) forms a cluster of its own. Reward r_i = |cluster_i| / G, but 0 for an empty
/// answer; semantic entropy H = −Σ_c (|c|/G)·ln(|c|/G) over all clusters, empty answers included as singletons.
/// </summary>
public sealed record SemanticClusters(int[] Assignment, int[] Sizes, bool[] Empty)
{
    public static SemanticClusters Of(IReadOnlyList<string?> answers, Func<string, string, bool> same)
    {
        var assignment = new int[answers.Count];
        var representatives = new List<(string? Answer, int Count)>();
        for (int i = 0; i < answers.Count; i++)
        {
            int cluster = answers[i] is { } answer ? representatives.FindIndex(r => r.Answer is { } other && same(other, answer)) : -1;
            if (cluster < 0)
            {
                cluster = representatives.Count;
                representatives.Add((answers[i], 0));
            }
            representatives[cluster] = (representatives[cluster].Answer, representatives[cluster].Count + 1);
            assignment[i] = cluster;
        }
        return new SemanticClusters(assignment, representatives.Select(r => r.Count).ToArray(), answers.Select(a => a is null).ToArray());
    }

    public int Count => Sizes.Length;

    public double[] Rewards() => Assignment.Select((c, i) => Empty[i] ? 0.0 : (double)Sizes[c] / Assignment.Length).ToArray();

    public double Entropy()
    {
        double n = Assignment.Length;
        return -Sizes.Sum(size => size / n * Math.Log(size / n));
    }

    /// <summary>H / ln G in [0, 1] (0 for G = 1).</summary>
    public double NormalizedEntropy() => Assignment.Length < 2 ? 0 : Entropy() / Math.Log(Assignment.Length);
}
