using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Training;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>The offline algorithms by name; a new algorithm is a new file plus one line here.</summary>
public static class OfflineAlgorithms
{
    private delegate IOfflineAlgorithm Factory(OfflinePolicyConfig shape, OfflineTrainingConfig config);

    /// <summary>Each name's builder for discrete and for continuous actions (null where the algorithm has no such variant).</summary>
    private sealed record Entry(Factory? Discrete, Factory? Continuous);

    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal)
    {
        ["bc"] = new((shape, config) => new BehaviorCloning(shape, config), (shape, config) => new BehaviorCloning(shape, config)),
        ["dqn"] = new((shape, config) => new Dqn(shape, config, doubleQ: false), null),
        ["double_dqn"] = new((shape, config) => new Dqn(shape, config, doubleQ: true), null),
        ["cql"] = new((shape, config) => new DiscreteCql(shape, config), (shape, config) => new Cql(shape, config)),
        ["calql"] = new(null, (shape, config) => new CalQl(shape, config)),
        ["sac"] = new(null, (shape, config) => new Sac(shape, config)),
        ["iql"] = new(null, (shape, config) => new Iql(shape, config)),
        ["td3bc"] = new(null, (shape, config) => new Td3Bc(shape, config)),
    };

    /// <summary>Whether the algorithm learns from Monte Carlo returns-to-go (Cal-QL), which the trainer then computes.</summary>
    public static bool NeedsReturnsToGo(string name) => name == "calql";

    public static IReadOnlyCollection<string> Names => Entries.Keys;

    public static void Check(string name)
    {
        if (!Entries.ContainsKey(name)) throw new ArgumentException($"unknown algorithm '{name}' ({string.Join(", ", Entries.Keys)}).");
    }

    /// <summary>Builds an algorithm for a policy shape, refusing an action space it does not handle.</summary>
    public static IOfflineAlgorithm Create(OfflinePolicyConfig shape, OfflineTrainingConfig config)
    {
        Check(shape.Algorithm);
        var entry = Entries[shape.Algorithm];
        var create = shape.Discrete ? entry.Discrete : entry.Continuous;
        if (create is null)
            throw new ArgumentException($"{shape.Algorithm} does not handle {(shape.Discrete ? "discrete" : "continuous")} actions ({shape.Environment}); use one of {string.Join(", ", Entries.Where(e => (shape.Discrete ? e.Value.Discrete : e.Value.Continuous) is not null).Select(e => e.Key))}.");
        return create(shape, config);
    }
}
