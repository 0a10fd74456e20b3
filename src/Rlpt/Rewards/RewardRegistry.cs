namespace Rlpt.Rewards;

/// <summary>Where an LLM judge lives (any OpenAI-compatible server).</summary>
public sealed record JudgeEndpoint(Uri Endpoint, string Model, string? ApiKey = null, JudgeOptions? Options = null);

/// <summary>
/// Reward functions by name, for configs and the command line ("prefix=1,numeric=1"). A new reward is a class
/// plus one line here.
/// </summary>
public static class RewardRegistry
{
    private static readonly Dictionary<string, Func<JudgeEndpoint?, IRewardFunction>> Factories = new()
    {
        ["prefix"] = _ => new LexicalPrefixReward(),
        ["prefix_dense"] = _ => new LexicalPrefixReward(new LexicalPrefixOptions { Dense = true }),
        ["embedding"] = _ => new EmbeddingReward(),
        ["embedding_dense"] = _ => new EmbeddingReward(new EmbeddingRewardOptions { Dense = true }),
        ["numeric"] = _ => new NumericReward(),
        ["judge"] = judge => judge is null
            ? throw new ArgumentException("the judge reward needs a judge endpoint (--judge-url and --judge-model).")
            : JudgeReward.ForOpenAiCompatible(judge.Endpoint, judge.Model, judge.ApiKey, judge.Options),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static IRewardFunction Create(string name, JudgeEndpoint? judge = null) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(judge)
            : throw new ArgumentException($"unknown reward '{name}' (known: {string.Join(", ", Factories.Keys)}).");

    public static RewardComposer Compose(IReadOnlyDictionary<string, double> weights, JudgeEndpoint? judge = null)
    {
        if (weights.Count == 0) throw new ArgumentException("at least one reward is needed.");
        return new RewardComposer(weights.Select(w => new WeightedReward(Create(w.Key, judge), w.Value)));
    }
}
