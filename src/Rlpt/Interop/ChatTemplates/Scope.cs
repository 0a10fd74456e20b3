namespace Rlpt.Interop.ChatTemplates;

/// <summary>
/// Variables visible at a point of the template. As in Jinja, each loop iteration and macro call gets its own scope,
/// so <c>set</c> inside a loop does not change the variable outside it (that is what namespace() is for).
/// </summary>
internal sealed class Scope(Scope? parent)
{
    private readonly Dictionary<string, object?> _variables = new(StringComparer.Ordinal);

    public object? Lookup(string name)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
            if (scope._variables.TryGetValue(name, out var value)) return value;
        return new Undefined($"'{name}' is undefined");
    }

    public void Set(string name, object? value) => _variables[name] = value;

    private Scope? Parent => parent;
}
