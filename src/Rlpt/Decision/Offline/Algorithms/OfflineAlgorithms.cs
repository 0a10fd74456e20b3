using Rlpt.Decision.Offline.Models;
using Rlpt.Decision.Offline.Training;

namespace Rlpt.Decision.Offline.Algorithms;

/// <summary>The offline algorithms by name; a new algorithm is a new file plus one line here.</summary>
public static class OfflineAlgorithms
{
    private sealed record Entry(bool Discrete, bool Continuous, Func<OfflinePolicyConfig, OfflineTrainingConfig, IOfflineAlgorithm> Create);

    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal)
    {
        ["bc"] = new(true, true, (shape, config) => new BehaviorCloning(shape, config)),
        ["dqn"] = new(true, false, (shape, config) => new Dqn(shape, config, doubleQ: false)),
        ["double_dqn"] = new(true, false, (shape, config) => new Dqn(shape, config, doubleQ: true)),
        ["cql"] = new(true, false, (shape, config) => new DiscreteCql(shape, config)),
    };

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
        if (shape.Discrete ? !entry.Discrete : !entry.Continuous)
            throw new ArgumentException($"{shape.Algorithm} does not handle {(shape.Discrete ? "discrete" : "continuous")} actions ({shape.Environment}); use one of {string.Join(", ", Entries.Where(e => shape.Discrete ? e.Value.Discrete : e.Value.Continuous).Select(e => e.Key))}.");
        return entry.Create(shape, config);
    }
}
