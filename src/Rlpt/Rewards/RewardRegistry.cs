using Microsoft.Extensions.AI;

namespace Rlpt.Rewards;

/// <summary>Where the LLM judge lives: an OpenAI-compatible server, or any <see cref="IChatClient"/> such as an in-process Rlpt model.</summary>
public sealed record JudgeSource(string Description, Func<JudgeReward> Create)
{
    public static JudgeSource OpenAiCompatible(Uri endpoint, string model, string? apiKey = null, JudgeOptions? options = null) =>
        new($"{endpoint} ({model})", () => JudgeReward.ForOpenAiCompatible(endpoint, model, apiKey, options));

    /// <summary>A judge over a client the caller owns (it outlives the reward).</summary>
    public static JudgeSource ChatClient(string description, IChatClient client, JudgeOptions? options = null) =>
        new(description, () => new JudgeReward(client, options));
}

/// <summary>
/// Reward functions by name, for configs and the command line ("prefix=1,numeric=1"). A new reward is a class
/// plus one line here.
/// </summary>
public static class RewardRegistry
{
    private static readonly Dictionary<string, Func<JudgeSource?, IRewardFunction>> Factories = new()
    {
        ["prefix"] = _ => new LexicalPrefixReward(),
        ["prefix_dense"] = _ => new LexicalPrefixReward(new LexicalPrefixOptions { Dense = true }),
        ["embedding"] = _ => new EmbeddingReward(),
        ["embedding_dense"] = _ => new EmbeddingReward(new EmbeddingRewardOptions { Dense = true }),
        ["numeric"] = _ => new NumericReward(),
        ["judge"] = judge => judge is null
            ? throw new ArgumentException("the judge reward needs a judge: --judge-url and --judge-model, or --judge-local.")
            : judge.Create(),
    };

    public static IReadOnlyCollection<string> Names
    {
        get { lock (Factories) return [.. Factories.Keys]; }
    }

    public static IRewardFunction Create(string name, JudgeSource? judge = null)
    {
        Func<JudgeSource?, IRewardFunction>? factory;
        lock (Factories)
            if (!Factories.TryGetValue(name, out factory)) throw new ArgumentException($"unknown reward '{name}' (known: {string.Join(", ", Factories.Keys)}).");
        return factory(judge);
    }

    /// <summary>
    /// Adds a reward from outside the library (a program's own), so objectives that compose rewards by name (RLPT's
    /// reward weights) use it like the built-in ones. Names are unique.
    /// </summary>
    public static void Register(string name, Func<IRewardFunction> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (Factories)
        {
            if (!Factories.TryAdd(name, _ => factory())) throw new ArgumentException($"a reward named '{name}' is already registered.");
        }
    }

    public static RewardComposer Compose(IReadOnlyDictionary<string, double> weights, JudgeSource? judge = null)
    {
        if (weights.Count == 0) throw new ArgumentException("at least one reward is needed.");
        return new RewardComposer(weights.Select(w => new WeightedReward(Create(w.Key, judge), w.Value)));
    }
}
