namespace Rlpt.Interop.ChatTemplates;

/// <summary>Functions every template can call: Jinja's range and namespace, and transformers' raise_exception.</summary>
internal static class TemplateGlobals
{

    public static IEnumerable<KeyValuePair<string, object?>> All { get; } =
    [
        new("range", (TemplateFunction)Range),
        new("namespace", (TemplateFunction)MakeNamespace),
        new("raise_exception", (TemplateFunction)(args =>
            throw new ChatTemplateException(TemplateValues.ToText(args.Check("raise_exception", "message").Required(0, "message", "raise_exception"))))),
    ];

    private static object? Range(Arguments args)
    {
        args.Check("range", "start", "stop", "step");
        var bounds = args.Positional.Select(x => x as long? ?? throw new ChatTemplateException($"range() needs integers, not '{TemplateValues.TypeName(x)}'")).ToArray();
        var (start, stop, step) = bounds.Length switch
        {
            1 => (0, bounds[0], 1),
            2 => (bounds[0], bounds[1], 1),
            3 => (bounds[0], bounds[1], bounds[2]),
            _ => throw new ChatTemplateException("range() takes 1 to 3 arguments"),
        };
        if (step == 0) throw new ChatTemplateException("range() step cannot be zero");
        var length = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
        if (length > TemplateLimits.MaxRangeLength) throw new ChatTemplateException($"range() of {length} items is too long");
        var items = new List<object?>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step) items.Add(i);
        return items;
    }

    /// <summary><c>namespace(a=1)</c> or <c>namespace(dict)</c>.</summary>
    private static object? MakeNamespace(Arguments args)
    {
        var ns = new Namespace();
        foreach (var initial in args.Positional)
        {
            if (initial is not OrderedDictionary<string, object?> dict) throw new ChatTemplateException("namespace() takes a dict or keyword arguments");
            foreach (var (key, value) in dict) ns.Values[key] = value;
        }
        foreach (var (key, value) in args.Named) ns.Values[key] = value;
        return ns;
    }
}
