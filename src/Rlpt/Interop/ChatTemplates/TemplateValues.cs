using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rlpt.Interop.ChatTemplates;

/// <summary>
/// Python semantics for template values. Values are null (None), <see cref="Undefined"/>, bool, long, double, string,
/// <c>List&lt;object?&gt;</c> (lists and tuples), <c>OrderedDictionary&lt;string, object?&gt;</c> (dicts keep their
/// order, which tojson shows), <see cref="Namespace"/>, <see cref="LoopInfo"/> and <see cref="TemplateFunction"/>.
/// </summary>
internal static class TemplateValues
{
    public static bool IsTruthy(object? value) => value switch
    {
        null or Undefined => false,
        bool b => b,
        long n => n != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> list => list.Count > 0,
        OrderedDictionary<string, object?> dict => dict.Count > 0,
        _ => true,
    };

    /// <summary>Python's str(): what <c>{{ value }}</c> prints; undefined prints nothing.</summary>
    public static string ToText(object? value) => value switch
    {
        Undefined => "",
        string s => s,
        _ => Repr(value),
    };

    /// <summary>Python's repr(), used for items inside printed lists and dicts.</summary>
    public static string Repr(object? value) => value switch
    {
        null => "None",
        Undefined => "",
        bool b => b ? "True" : "False",
        long n => n.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        string s => QuoteString(s),
        List<object?> list => "[" + string.Join(", ", list.Select(Repr)) + "]",
        OrderedDictionary<string, object?> dict => "{" + string.Join(", ", dict.Select(p => QuoteString(p.Key) + ": " + Repr(p.Value))) + "}",
        Namespace ns => "<Namespace " + Repr(ToDict(ns)) + ">",
        _ => $"<{TypeName(value)}>",
    };

    private static OrderedDictionary<string, object?> ToDict(Namespace ns) => new(ns.Values, StringComparer.Ordinal);

    /// <summary>Python's float repr: shortest round-trip digits, always with a '.' or an exponent.</summary>
    public static string FormatFloat(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        if (d == Math.Floor(d) && Math.Abs(d) < 1e16) return (d == 0 && double.IsNegative(d) ? "-" : "") + Math.Abs(d).ToString("0", CultureInfo.InvariantCulture) + ".0";
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E');
        if (e < 0) return text;
        var exponent = int.Parse(text.AsSpan(e + 1), CultureInfo.InvariantCulture);
        return text[..e] + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    private static string QuoteString(string s)
    {
        var quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var builder = new StringBuilder().Append(quote);
        foreach (var c in s)
        {
            builder.Append(c switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c == quote => "\\" + c,
                _ when c < ' ' || c == '\x7f' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return builder.Append(quote).ToString();
    }

    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        Undefined => "undefined",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        List<object?> => "list",
        OrderedDictionary<string, object?> => "dict",
        Namespace => "Namespace",
        LoopInfo => "LoopContext",
        TemplateFunction => "function",
        _ => value.GetType().Name,
    };

    /// <summary>bool and int are numbers, as in Python (True == 1).</summary>
    public static bool TryNumber(object? value, out double number, out bool isInteger)
    {
        (number, isInteger) = value switch
        {
            bool b => (b ? 1 : 0, true),
            long n => (n, true),
            double d => (d, false),
            _ => (double.NaN, false),
        };
        return value is bool or long or double;
    }

    public static bool AreEqual(object? a, object? b)
    {
        if (a is long x && b is long y) return x == y;
        if (TryNumber(a, out var p, out _) && TryNumber(b, out var q, out _)) return p == q;
        return (a, b) switch
        {
            (null, null) or (Undefined, Undefined) => true,
            (string s, string t) => s == t,
            (List<object?> l, List<object?> m) => l.Count == m.Count && l.Zip(m).All(pair => AreEqual(pair.First, pair.Second)),
            (OrderedDictionary<string, object?> d, OrderedDictionary<string, object?> e) =>
                d.Count == e.Count && d.All(pair => e.TryGetValue(pair.Key, out var other) && AreEqual(pair.Value, other)),
            _ => ReferenceEquals(a, b),
        };
    }

    /// <summary>Ordering for &lt; and friends: numbers, strings (by code unit) and lists, as far as Python allows.</summary>
    public static int Compare(object? a, object? b, string op)
    {
        if (a is long x && b is long y) return x.CompareTo(y);
        if (TryNumber(a, out var p, out _) && TryNumber(b, out var q, out _)) return p.CompareTo(q);
        if (a is string s && b is string t) return string.CompareOrdinal(s, t);
        if (a is List<object?> l && b is List<object?> m)
        {
            foreach (var (first, second) in l.Zip(m))
                if (!AreEqual(first, second)) return Compare(first, second, op);
            return l.Count.CompareTo(m.Count);
        }
        throw new ChatTemplateException($"'{op}' is not supported between '{TypeName(a)}' and '{TypeName(b)}'");
    }

    /// <summary>What a for loop visits: list items, dict keys, a string's characters; undefined is empty.</summary>
    public static IEnumerable<object?> Iterate(object? value) => value switch
    {
        Undefined => [],
        List<object?> list => list,
        OrderedDictionary<string, object?> dict => dict.Keys,
        string s => s.EnumerateRunes().Select(r => (object?)r.ToString()),
        _ => throw new ChatTemplateException($"'{TypeName(value)}' object is not iterable"),
    };

    public static long Length(object? value) => value switch
    {
        Undefined => 0,
        string s => s.Length,
        List<object?> list => list.Count,
        OrderedDictionary<string, object?> dict => dict.Count,
        _ => throw new ChatTemplateException($"object of type '{TypeName(value)}' has no length"),
    };

    /// <summary>Python's <c>item in container</c>.</summary>
    public static bool Contains(object? container, object? item) => container switch
    {
        Undefined => false,
        string s => item is string t ? s.Contains(t, StringComparison.Ordinal) : throw new ChatTemplateException($"'in <string>' needs a string on the left, not '{TypeName(item)}'"),
        List<object?> list => list.Any(x => AreEqual(x, item)),
        OrderedDictionary<string, object?> dict => item is string key && dict.ContainsKey(key),
        _ => throw new ChatTemplateException($"argument of type '{TypeName(container)}' is not iterable"),
    };

    /// <summary>Converts caller-supplied .NET values (and JSON) to template values.</summary>
    public static object? FromDotNet(object? value) => value switch
    {
        null => null,
        Undefined or string or bool or long or double or TemplateFunction => value,
        int or short or byte or sbyte or ushort or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        JsonElement element => FromJson(element),
        JsonNode node => FromJson(JsonSerializer.SerializeToElement(node)),
        Rlpt.Tokenization.ChatMessage message => new OrderedDictionary<string, object?> { ["role"] = message.Role, ["content"] = message.Content },
        IEnumerable<KeyValuePair<string, object?>> pairs => ToDictionary(pairs),
        IDictionary dict => ToDictionary(dict.Keys.Cast<object>().Select(k => new KeyValuePair<string, object?>(
            k as string ?? throw new ArgumentException($"dictionary keys given to a chat template must be strings, not {k.GetType().Name}"), dict[k]))),
        IEnumerable items => items.Cast<object?>().Select(FromDotNet).ToList(),
        _ => throw new ArgumentException($"a chat template cannot use a value of type {value.GetType().Name}"),
    };

    private static OrderedDictionary<string, object?> ToDictionary(IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        var dict = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, item) in pairs) dict[key] = FromDotNet(item);
        return dict;
    }

    private static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => element.TryGetInt64(out var n) ? n : (object)element.GetDouble(),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.Object => ToDictionary(element.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, FromJson(p.Value)))),
        _ => null,
    };
}
