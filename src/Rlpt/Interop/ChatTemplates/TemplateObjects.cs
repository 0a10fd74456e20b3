namespace Rlpt.Interop.ChatTemplates;

/// <summary>A function callable from a template: globals, filters' helpers, bound string/dict methods, macros.</summary>
internal delegate object? TemplateFunction(Arguments arguments);

/// <summary>
/// A missing variable, attribute or item. Like Jinja's default Undefined it is falsy, renders as "" and iterates as
/// empty; using it any other way (attribute access, arithmetic, calls) fails with <see cref="Description"/>.
/// </summary>
internal sealed class Undefined(string description)
{
    public string Description { get; } = description;

    public ChatTemplateException Error() => new(Description);
}

/// <summary>The mutable object made by <c>namespace(...)</c>, so values set inside loops survive them.</summary>
internal sealed class Namespace
{
    public OrderedDictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);
}

/// <summary>The <c>loop</c> variable inside a for loop.</summary>
internal sealed class LoopInfo(IReadOnlyList<object?> items, int index)
{
    public object? Get(string name) => name switch
    {
        "index" => (long)index + 1,
        "index0" => (long)index,
        "revindex" => (long)(items.Count - index),
        "revindex0" => (long)(items.Count - index - 1),
        "first" => index == 0,
        "last" => index == items.Count - 1,
        "length" => (long)items.Count,
        "depth" => 1L,
        "depth0" => 0L,
        "previtem" => index > 0 ? items[index - 1] : new Undefined("there is no previous item"),
        "nextitem" => index < items.Count - 1 ? items[index + 1] : new Undefined("there is no next item"),
        "cycle" => (TemplateFunction)(args => args.Positional.Count == 0
            ? throw new ChatTemplateException("loop.cycle needs at least one value")
            : args.Positional[index % args.Positional.Count]),
        _ => new Undefined($"'loop' has no attribute '{name}'"),
    };
}

/// <summary>The positional and keyword arguments of a call.</summary>
internal sealed record Arguments(IReadOnlyList<object?> Positional, IReadOnlyDictionary<string, object?> Named)
{
    public static readonly Arguments None = new([], new Dictionary<string, object?>());

    /// <summary>The argument at <paramref name="index"/> or named <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public object? Get(int index, string name, object? fallback = null) =>
        index < Positional.Count ? Positional[index] : Named.TryGetValue(name, out var value) ? value : fallback;

    public object? Required(int index, string name, string function) =>
        index < Positional.Count || Named.ContainsKey(name)
            ? Get(index, name)
            : throw new ChatTemplateException($"{function}() is missing its argument '{name}'");

    /// <summary>Rejects surplus positional arguments and keywords outside <paramref name="names"/>.</summary>
    public Arguments Check(string function, params string[] names)
    {
        if (Positional.Count > names.Length)
            throw new ChatTemplateException($"{function}() takes at most {names.Length} argument(s) but got {Positional.Count}");
        foreach (var key in Named.Keys)
            if (!names.Contains(key)) throw new ChatTemplateException($"{function}() got an unexpected keyword argument '{key}'");
        return this;
    }
}
