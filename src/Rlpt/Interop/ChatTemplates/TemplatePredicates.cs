namespace Rlpt.Interop.ChatTemplates;

/// <summary>Jinja's tests: <c>x is defined</c>, <c>x is not none</c>, <c>x is string</c> and the rest.</summary>
internal static class TemplatePredicates
{
    private static readonly Dictionary<string, Func<object?, Arguments, bool>> Tests = new(StringComparer.Ordinal)
    {
        ["defined"] = (v, _) => v is not Undefined,
        ["undefined"] = (v, _) => v is Undefined,
        ["none"] = (v, _) => v is null,
        ["string"] = (v, _) => v is string,
        ["mapping"] = (v, _) => v is OrderedDictionary<string, object?>,
        // Python: strings are iterable and sequences too; Jinja's undefined iterates as empty.
        ["iterable"] = (v, _) => v is string or List<object?> or OrderedDictionary<string, object?> or Undefined,
        ["sequence"] = (v, _) => v is string or List<object?> or OrderedDictionary<string, object?>,
        ["number"] = (v, _) => v is long or double or bool,
        ["integer"] = (v, _) => v is long,
        ["float"] = (v, _) => v is double,
        ["boolean"] = (v, _) => v is bool,
        ["true"] = (v, _) => v is true,
        ["false"] = (v, _) => v is false,
        ["callable"] = (v, _) => v is TemplateFunction,
        ["odd"] = (v, _) => Integer(v, "odd") % 2 != 0,
        ["even"] = (v, _) => Integer(v, "even") % 2 == 0,
        ["divisibleby"] = (v, a) => Integer(v, "divisibleby") % Divisor(a) == 0,
        ["lower"] = (v, _) => TemplateValues.ToText(v) is var s && s.Any(char.IsLetter) && s == s.ToLowerInvariant(),
        ["upper"] = (v, _) => TemplateValues.ToText(v) is var s && s.Any(char.IsLetter) && s == s.ToUpperInvariant(),
        ["in"] = (v, a) => TemplateValues.Contains(a.Required(0, "seq", "in"), v),
        ["sameas"] = (v, a) => (v, a.Required(0, "other", "sameas")) switch
        {
            (null, null) => true,
            (bool b, bool c) => b == c,
            var (x, y) => ReferenceEquals(x, y),
        },
        ["eq"] = (v, a) => TemplateValues.AreEqual(v, a.Required(0, "other", "eq")),
        ["ne"] = (v, a) => !TemplateValues.AreEqual(v, a.Required(0, "other", "ne")),
        ["lt"] = (v, a) => TemplateValues.Compare(v, a.Required(0, "other", "lt"), "<") < 0,
        ["le"] = (v, a) => TemplateValues.Compare(v, a.Required(0, "other", "le"), "<=") <= 0,
        ["gt"] = (v, a) => TemplateValues.Compare(v, a.Required(0, "other", "gt"), ">") > 0,
        ["ge"] = (v, a) => TemplateValues.Compare(v, a.Required(0, "other", "ge"), ">=") >= 0,
    };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["equalto"] = "eq", ["=="] = "eq", ["!="] = "ne", ["lessthan"] = "lt", ["<"] = "lt", ["<="] = "le",
        ["greaterthan"] = "gt", [">"] = "gt", [">="] = "ge",
    };

    public static bool Exists(string name) => Tests.ContainsKey(Aliases.GetValueOrDefault(name, name));

    public static bool Test(string name, object? value, Arguments arguments) =>
        Tests.TryGetValue(Aliases.GetValueOrDefault(name, name), out var test)
            ? test(value, arguments)
            : throw new ChatTemplateException($"unknown test '{name}'");

    private static long Integer(object? value, string test) => value switch
    {
        long n => n,
        bool b => b ? 1 : 0,
        _ => throw new ChatTemplateException($"test '{test}' needs an integer, not '{TemplateValues.TypeName(value)}'"),
    };

    private static long Divisor(Arguments arguments)
    {
        var divisor = Integer(arguments.Required(0, "num", "divisibleby"), "divisibleby");
        return divisor != 0 ? divisor : throw new ChatTemplateException("divisibleby 0");
    }
}
