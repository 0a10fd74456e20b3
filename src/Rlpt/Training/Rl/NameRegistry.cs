namespace Rlpt.Training.Rl;

/// <summary>Name → implementation lookup shared by the estimator and loss registries, with a helpful error.</summary>
internal sealed class NameRegistry<T>(string kind, Func<T, string> nameOf, params T[] items)
{
    private readonly Dictionary<string, T> _items = items.ToDictionary(nameOf, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _items.Keys;

    public T Get(string name) =>
        _items.TryGetValue(name, out var item)
            ? item
            : throw new ArgumentException($"Unknown {kind} '{name}'; known: {string.Join(", ", _items.Keys)}.", nameof(name));
}
