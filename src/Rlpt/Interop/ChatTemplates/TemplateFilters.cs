using System.Globalization;

namespace Rlpt.Interop.ChatTemplates;

/// <summary>The Jinja filters chat templates use (<c>value | name(args)</c>), with transformers' <c>tojson</c>.</summary>
internal static class TemplateFilters
{
    private static readonly Dictionary<string, Func<object?, Arguments, object?>> Filters = new(StringComparer.Ordinal)
    {
        ["trim"] = (v, a) => TemplateMethods.Strip(TemplateValues.ToText(v), a.Check("trim", "chars").Get(0, "chars"), true, true),
        ["length"] = (v, a) => TemplateValues.Length(v),
        ["count"] = (v, a) => TemplateValues.Length(v),
        ["upper"] = (v, a) => TemplateValues.ToText(v).ToUpperInvariant(),
        ["lower"] = (v, a) => TemplateValues.ToText(v).ToLowerInvariant(),
        ["capitalize"] = (v, a) => TemplateMethods.Capitalize(TemplateValues.ToText(v)),
        ["string"] = (v, a) => TemplateValues.ToText(v),
        // Jinja marks the text safe from autoescaping; transformers does not autoescape, so it is the identity.
        ["safe"] = (v, a) => v,
        ["tojson"] = (v, a) => PythonJson.Serialize(v, Indent(a.Check("tojson", "indent", "sort_keys").Get(0, "indent")),
            TemplateValues.IsTruthy(a.Get(1, "sort_keys", false))),
        ["join"] = (v, a) => TemplateMethods.Join(TemplateValues.ToText(a.Check("join", "d", "attribute").Get(0, "d", "")),
            Attribute(TemplateValues.Iterate(v), a.Get(1, "attribute")).Select(TemplateValues.ToText)),
        ["default"] = Default,
        ["d"] = Default,
        ["first"] = (v, a) => TemplateValues.Iterate(v).Take(1).DefaultIfEmpty(new Undefined("first() of an empty sequence")).First(),
        ["last"] = (v, a) => TemplateValues.Iterate(v).TakeLast(1).DefaultIfEmpty(new Undefined("last() of an empty sequence")).First(),
        ["items"] = (v, a) => v switch
        {
            Undefined => new List<object?>(),
            OrderedDictionary<string, object?> dict => TemplateMethods.Items(dict),
            _ => throw new ChatTemplateException($"items needs a mapping, not '{TemplateValues.TypeName(v)}'"),
        },
        ["list"] = (v, a) => TemplateValues.Iterate(v).ToList(),
        ["reverse"] = (v, a) => v is string s ? string.Concat(s.EnumerateRunes().Reverse()) : TemplateValues.Iterate(v).Reverse().ToList(),
        ["replace"] = (v, a) => TemplateMethods.Replace(TemplateValues.ToText(v), a.Check("replace", "old", "new", "count").Required(0, "old", "replace"),
            a.Required(1, "new", "replace"), a.Get(2, "count")),
        ["int"] = (v, a) => ToInteger(v, a.Check("int", "default").Get(0, "default", 0L)),
        ["float"] = (v, a) => ToFloat(v, a.Check("float", "default").Get(0, "default", 0.0)),
        ["abs"] = (v, a) => v switch
        {
            long n => (object)Math.Abs(n),
            double d => (object)Math.Abs(d),
            bool b => (object)(b ? 1L : 0L),
            _ => throw new ChatTemplateException($"abs needs a number, not '{TemplateValues.TypeName(v)}'"),
        },
        ["select"] = (v, a) => TemplateValues.Iterate(v).Where(x => Passes(x, a, 0)).ToList(),
        ["reject"] = (v, a) => TemplateValues.Iterate(v).Where(x => !Passes(x, a, 0)).ToList(),
        ["selectattr"] = (v, a) => TemplateValues.Iterate(v).Where(x => Passes(AttributeOf(x, a), a, 1)).ToList(),
        ["rejectattr"] = (v, a) => TemplateValues.Iterate(v).Where(x => !Passes(AttributeOf(x, a), a, 1)).ToList(),
        ["map"] = Map,
    };

    public static bool Exists(string name) => Filters.ContainsKey(name);

    public static object? Apply(string name, object? value, Arguments arguments) =>
        Filters.TryGetValue(name, out var filter) ? filter(value, arguments) : throw new ChatTemplateException($"unknown filter '{name}'");

    private static object? Default(object? value, Arguments arguments)
    {
        arguments.Check("default", "default_value", "boolean");
        var useDefault = value is Undefined || TemplateValues.IsTruthy(arguments.Get(1, "boolean", false)) && !TemplateValues.IsTruthy(value);
        return useDefault ? arguments.Get(0, "default_value", "") : value;
    }

    private static int? Indent(object? indent) => indent switch
    {
        null => null,
        long n when n >= 0 => (int)n,
        _ => throw new ChatTemplateException($"tojson indent must be a non-negative integer, not {TemplateValues.Repr(indent)}"),
    };

    private static IEnumerable<object?> Attribute(IEnumerable<object?> items, object? attribute) =>
        attribute is null ? items : items.Select(x => Lookup(x, attribute));

    /// <summary>An item's attribute; "a.b" goes a level deeper, as in Jinja's attribute arguments.</summary>
    private static object? Lookup(object? item, object? attribute) =>
        attribute is string path
            ? path.Split('.').Aggregate(item, (current, part) => TemplateAccess.Item(current, long.TryParse(part, out var i) ? i : part))
            : TemplateAccess.Item(item, attribute);

    private static object? AttributeOf(object? item, Arguments arguments) => Lookup(item, arguments.Required(0, "attribute", "selectattr"));

    /// <summary>select/reject: the test named at <paramref name="testIndex"/> with the arguments after it; no test means truthiness.</summary>
    private static bool Passes(object? value, Arguments arguments, int testIndex)
    {
        if (arguments.Positional.Count <= testIndex) return TemplateValues.IsTruthy(value);
        if (arguments.Positional[testIndex] is not string test || !TemplatePredicates.Exists(test))
            throw new ChatTemplateException($"unknown test {TemplateValues.Repr(arguments.Positional[testIndex])}");
        return TemplatePredicates.Test(test, value, new Arguments(arguments.Positional.Skip(testIndex + 1).ToList(), new Dictionary<string, object?>()));
    }

    /// <summary><c>map(attribute='name', default=x)</c> or <c>map('filter', args...)</c>.</summary>
    private static object? Map(object? value, Arguments arguments)
    {
        var items = TemplateValues.Iterate(value);
        if (arguments.Named.TryGetValue("attribute", out var attribute))
        {
            var hasFallback = arguments.Named.TryGetValue("default", out var fallback);
            return items.Select(x => Lookup(x, attribute) is Undefined && hasFallback ? fallback : Lookup(x, attribute)).ToList();
        }
        if (arguments.Positional.Count == 0 || arguments.Positional[0] is not string filter || !Exists(filter))
            throw new ChatTemplateException("map needs attribute='...' or the name of a filter");
        var rest = new Arguments(arguments.Positional.Skip(1).ToList(), arguments.Named);
        return items.Select(x => Apply(filter, x, rest)).ToList();
    }

    private static object? ToInteger(object? value, object? fallback) => value switch
    {
        long n => n,
        bool b => b ? 1L : 0L,
        double d when double.IsFinite(d) => (long)Math.Truncate(d),
        string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => (long)Math.Truncate(d),
        _ => fallback,
    };

    private static object? ToFloat(object? value, object? fallback) => value switch
    {
        long n => (double)n,
        bool b => b ? 1.0 : 0.0,
        double d => d,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => fallback,
    };
}
