namespace Rlpt.Training.Rl;

/// <summary>Advantage estimators by their config name (<see cref="GrpoConfig.AdvantageEstimator"/>).</summary>
public static class AdvantageEstimators
{
    private static readonly NameRegistry<IAdvantageEstimator> Registry = new("advantage estimator", e => e.Name,
        new GrpoAdvantage(),
        new DrGrpoAdvantage(),
        new RlooAdvantage(),
        new BestOfGroupAdvantage());

    public static IReadOnlyCollection<string> Names => Registry.Names;

    /// <exception cref="ArgumentException">The name is not registered; the message lists the known names.</exception>
    public static IAdvantageEstimator Get(string name) => Registry.Get(name);
}
