namespace Rlpt.Training.Rl;

/// <summary>Policy losses by their config name (<see cref="GrpoConfig.PolicyLoss"/>), each built with its own options.</summary>
public static class PolicyLosses
{
    private static readonly Dictionary<string, Func<GrpoConfig, IPolicyLoss>> Factories = new()
    {
        ["ppo_clip"] = config => new PpoClipLoss(new PpoClipOptions(config.Epsilon, config.ResolvedEpsilonHigh)),
        ["sft"] = _ => new SftLoss(),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <exception cref="ArgumentException">The name is not registered; the message lists the known names.</exception>
    public static IPolicyLoss Create(string name, GrpoConfig config) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(config)
            : throw new ArgumentException($"Unknown policy loss '{name}'; known: {string.Join(", ", Factories.Keys)}.", nameof(name));
}
