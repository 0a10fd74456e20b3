namespace Rlpt.Training.Rl;

/// <summary>Advantage estimators by their config name (<see cref="GrpoConfig.AdvantageEstimator"/>).</summary>
public static class AdvantageEstimators
{
    private static readonly NameRegistry<IAdvantageEstimator> Registry = new("advantage estimator", e => e.Name,
        new GrpoAdvantage(),
        new DrGrpoAdvantage(),
        new RlooAdvantage(),
        new BestOfGroupAdvantage());

    /// <summary>PPO's token-level estimator: it needs a critic, so the trainer computes it (<see cref="Critic.Gae"/>) instead of the registry.</summary>
    public const string Gae = "gae";

    /// <summary>The group estimators and gae.</summary>
    public static IReadOnlyCollection<string> Names => [.. Registry.Names, Gae];

    /// <exception cref="ArgumentException">The name is not registered; the message lists the known names.</exception>
    public static IAdvantageEstimator Get(string name) => Registry.Names.Contains(name)
        ? Registry.Get(name)
        : throw new ArgumentException(name == Gae
            ? "gae is computed by the trainer from its value head, not from group rewards."
            : $"Unknown advantage estimator '{name}'; known: {string.Join(", ", Names)}.", nameof(name));
}
