namespace Rlpt.Interop.ChatTemplates;

/// <summary>Attribute, item and slice access with Jinja's rules: a missing member is undefined, not an error.</summary>
internal static class TemplateAccess
{
    /// <summary><c>obj.name</c>: methods first (so <c>message.items()</c> works), then dict keys.</summary>
    public static object? Attribute(object? target, string name) => target switch
    {
        Undefined u => throw u.Error(),
        LoopInfo loop => loop.Get(name),
        Namespace ns => ns.Values.TryGetValue(name, out var value) ? value : Missing(target, name),
        _ when TemplateMethods.TryBind(target, name, out var method) => method,
        OrderedDictionary<string, object?> dict => dict.TryGetValue(name, out var value) ? value : Missing(target, name),
        _ => Missing(target, name),
    };

    /// <summary><c>obj[key]</c>: dict keys and list or string indexes (negative from the end), then attributes.</summary>
    public static object? Item(object? target, object? key)
    {
        switch (target)
        {
            case Undefined u:
                throw u.Error();
            case null:
                throw new ChatTemplateException("'NoneType' object is not subscriptable");
            case OrderedDictionary<string, object?> dict when key is string name && dict.TryGetValue(name, out var value):
                return value;
            case List<object?> list when key is long or bool:
                var i = Index(key, list.Count);
                return i is { } at ? list[at] : new Undefined($"list index {TemplateValues.Repr(key)} is out of range");
            case string s when key is long or bool:
                var j = Index(key, s.Length);
                return j is { } position ? s[position].ToString() : new Undefined($"string index {TemplateValues.Repr(key)} is out of range");
        }
        return key is string attribute ? Attribute(target, attribute) : new Undefined($"'{TemplateValues.TypeName(target)}' object has no item {TemplateValues.Repr(key)}");
    }

    private static int? Index(object? key, int count)
    {
        var index = key is bool b ? (b ? 1 : 0) : (long)key!;
        if (index < 0) index += count;
        return index >= 0 && index < count ? (int)index : null;
    }

    /// <summary>Python slicing, <c>messages[1:]</c> and <c>messages[::-1]</c> included.</summary>
    public static object? Slice(object? target, object? start, object? stop, object? step)
    {
        var count = target switch
        {
            Undefined u => throw u.Error(),
            List<object?> list => list.Count,
            string s => s.Length,
            _ => throw new ChatTemplateException($"'{TemplateValues.TypeName(target)}' object cannot be sliced"),
        };
        var by = step is null ? 1 : SliceBound(step);
        if (by == 0) throw new ChatTemplateException("slice step cannot be zero");
        var (lower, upper) = by > 0 ? (0L, (long)count) : (-1L, count - 1L);
        long Clamp(object? bound, long fallback)
        {
            if (bound is null) return fallback;
            var value = SliceBound(bound);
            return value < 0 ? Math.Max(value + count, lower) : Math.Min(value, upper);
        }
        var first = Clamp(start, by > 0 ? lower : upper);
        var end = Clamp(stop, by > 0 ? upper : lower);
        var indexes = new List<int>();
        for (var i = first; by > 0 ? i < end : i > end; i += by) indexes.Add((int)i);
        return target is string text
            ? string.Concat(indexes.Select(i => text[i]))
            : indexes.Select(i => ((List<object?>)target!)[i]).ToList();
    }

    private static long SliceBound(object? value) => value switch
    {
        long n => n,
        bool b => b ? 1 : 0,
        _ => throw new ChatTemplateException($"slice indices must be integers or none, not '{TemplateValues.TypeName(value)}'"),
    };

    private static Undefined Missing(object? target, string name) =>
        new($"'{TemplateValues.TypeName(target)}' object has no attribute '{name}'");
}
