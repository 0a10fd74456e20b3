namespace Rlpt.Decision.Environments.Control;

/// <summary>The classic-control tasks by Gymnasium id; a new task is a new file plus one line here.</summary>
public static class ControlEnvironments
{
    private static readonly Dictionary<string, Func<IControlEnvironment>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CartPole-v1"] = () => new CartPole(),
        ["MountainCar-v0"] = () => new MountainCar(),
        ["Acrobot-v1"] = () => new Acrobot(),
        ["Pendulum-v1"] = () => new Pendulum(),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static IControlEnvironment Create(string id) => Factories.TryGetValue(id, out var create)
        ? create()
        : throw new ArgumentException($"unknown environment '{id}' ({string.Join(", ", Factories.Keys)}).");
}
