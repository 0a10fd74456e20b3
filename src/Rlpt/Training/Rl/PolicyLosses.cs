namespace Rlpt.Training.Rl;

/// <summary>Policy losses by their config name (<see cref="GrpoConfig.PolicyLoss"/>).</summary>
public static class PolicyLosses
{
    private static readonly NameRegistry<IPolicyLoss> Registry = new("policy loss", l => l.Name,
        new PpoClipLoss());

    public static IReadOnlyCollection<string> Names => Registry.Names;

    /// <exception cref="ArgumentException">The name is not registered; the message lists the known names.</exception>
    public static IPolicyLoss Get(string name) => Registry.Get(name);
}
