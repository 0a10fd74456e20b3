namespace Rlpt.Rewards;

/// <param name="MinSimilarity">
/// Least word-level similarity (1 − word edit distance / longer length) between the prediction and the best-matching
/// prefix of the reference continuation. 0.8 lets one word in five be substituted, inserted or dropped.
/// </param>
/// <param name="MinCoverage">
/// Least share of the first segment's (s_i's) words that the matched prefix must span, so a short exact fragment
/// ("The") does not win. 0.5 = at least half of s_i.
/// </param>
/// <param name="Dense">Return the similarity (when coverage holds; else 0) instead of 0/1.</param>
public sealed record LexicalPrefixOptions(double MinSimilarity = 0.8, double MinCoverage = 0.5, bool Dense = false)
{
    public static LexicalPrefixOptions Default { get; } = new();
}
