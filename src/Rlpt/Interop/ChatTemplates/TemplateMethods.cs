using System.Globalization;
using System.Text;

namespace Rlpt.Interop.ChatTemplates;

/// <summary>The Python str and dict methods chat templates call, such as <c>content.split('&lt;/think&gt;')</c> and <c>tool.get('name')</c>.</summary>
internal static class TemplateMethods
{
    public static bool TryBind(object? target, string name, out TemplateFunction method)
    {
        method = (target, name) switch
        {
            (string s, "startswith") => args => Affix(s, args.Check(name, "prefix").Required(0, "prefix", name), s.StartsWith),
            (string s, "endswith") => args => Affix(s, args.Check(name, "suffix").Required(0, "suffix", name), s.EndsWith),
            (string s, "strip") => args => Strip(s, args.Check(name, "chars").Get(0, "chars"), true, true),
            (string s, "lstrip") => args => Strip(s, args.Check(name, "chars").Get(0, "chars"), true, false),
            (string s, "rstrip") => args => Strip(s, args.Check(name, "chars").Get(0, "chars"), false, true),
            (string s, "split") => args => Split(s, args.Check(name, "sep", "maxsplit").Get(0, "sep"), MaxSplit(args)),
            (string s, "rsplit") => args => RightSplit(s, args.Check(name, "sep", "maxsplit").Get(0, "sep"), MaxSplit(args)),
            (string s, "upper") => args => { args.Check(name); return s.ToUpperInvariant(); },
            (string s, "lower") => args => { args.Check(name); return s.ToLowerInvariant(); },
            (string s, "title") => args => { args.Check(name); return CultureInfo.InvariantCulture.TextInfo.ToTitleCase(s.ToLowerInvariant()); },
            (string s, "capitalize") => args => { args.Check(name); return Capitalize(s); },
            (string s, "replace") => args => Replace(s, args.Check(name, "old", "new", "count").Required(0, "old", name), args.Required(1, "new", name), args.Get(2, "count", -1L)),
            (string s, "find") => args => (long)s.IndexOf(Text(args.Check(name, "sub").Required(0, "sub", name), name), StringComparison.Ordinal),
            (string s, "count") => args => Count(s, Text(args.Check(name, "sub").Required(0, "sub", name), name)),
            (string s, "join") => args => Join(s, TemplateValues.Iterate(args.Check(name, "iterable").Required(0, "iterable", name)).Select(x => Text(x, name))),
            (OrderedDictionary<string, object?> d, "get") => args =>
                args.Check(name, "key", "default").Required(0, "key", name) is string key && d.TryGetValue(key, out var value) ? value : args.Get(1, "default"),
            (OrderedDictionary<string, object?> d, "items") => args => { args.Check(name); return Items(d); },
            (OrderedDictionary<string, object?> d, "keys") => args => { args.Check(name); return d.Keys.Cast<object?>().ToList(); },
            (OrderedDictionary<string, object?> d, "values") => args => { args.Check(name); return d.Values.ToList(); },
            _ => null!,
        };
        return method is not null;
    }

    /// <summary>A dict's (key, value) pairs, as lists so <c>for k, v in d.items()</c> unpacks them.</summary>
    public static List<object?> Items(OrderedDictionary<string, object?> dict) =>
        dict.Select(p => (object?)new List<object?> { p.Key, p.Value }).ToList();

    public static string Strip(string s, object? chars, bool left, bool right)
    {
        var set = chars is null ? null : Text(chars, "strip").ToCharArray();
        return (left, right) switch
        {
            (true, true) => set is null ? s.Trim() : s.Trim(set),
            (true, false) => set is null ? s.TrimStart() : s.TrimStart(set),
            _ => set is null ? s.TrimEnd() : s.TrimEnd(set),
        };
    }

    /// <summary>str.join and the join filter, within the render's budget (a long list of one long string is cheap to make, costly to join).</summary>
    public static string Join(string separator, IEnumerable<string> parts)
    {
        var items = parts.ToList();
        RenderBudget.Current.Build(items.Sum(p => (long)p.Length) + (long)separator.Length * Math.Max(0, items.Count - 1));
        return string.Join(separator, items);
    }

    /// <summary>Python's str.replace: an empty <paramref name="old"/> inserts <paramref name="replacement"/> around every character.</summary>
    public static string Replace(string s, object? old, object? replacement, object? count)
    {
        var (from, to) = (Text(old, "replace"), Text(replacement, "replace"));
        var limit = count is long n && n >= 0 ? n : long.MaxValue;
        var builder = new StringBuilder();
        var position = 0;
        for (long done = 0; done < limit; done++)
        {
            var at = from.Length == 0 ? (position <= s.Length ? position : -1) : s.IndexOf(from, position, StringComparison.Ordinal);
            if (at < 0) break;
            RenderBudget.CheckLength(builder.Length + (long)(at - position) + to.Length);
            builder.Append(s, position, at - position).Append(to);
            if (from.Length == 0)
            {
                if (at < s.Length) builder.Append(s[at]);
                position = at + 1;
            }
            else
            {
                position = at + from.Length;
            }
        }
        if (position < s.Length) builder.Append(s, position, s.Length - position);
        RenderBudget.Current.Build(builder.Length);
        return builder.ToString();
    }

    /// <summary>Python's str.split: without a separator, runs of whitespace split and empty pieces are dropped.</summary>
    public static List<object?> Split(string s, object? separator, long maxSplit)
    {
        var pieces = new List<object?>();
        if (separator is null)
        {
            var i = 0;
            while (true)
            {
                while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
                if (i >= s.Length) break;
                if (maxSplit >= 0 && pieces.Count == maxSplit)
                {
                    pieces.Add(s[i..]);
                    break;
                }
                var j = i;
                while (j < s.Length && !char.IsWhiteSpace(s[j])) j++;
                pieces.Add(s[i..j]);
                i = j;
            }
            return pieces;
        }
        var sep = Text(separator, "split");
        if (sep.Length == 0) throw new ChatTemplateException("split() separator is empty");
        var start = 0;
        while (maxSplit < 0 || pieces.Count < maxSplit)
        {
            var at = s.IndexOf(sep, start, StringComparison.Ordinal);
            if (at < 0) break;
            pieces.Add(s[start..at]);
            start = at + sep.Length;
        }
        pieces.Add(s[start..]);
        return pieces;
    }

    /// <summary>Python's str.rsplit: splitting the reversed string from the left is splitting this one from the right.</summary>
    private static List<object?> RightSplit(string s, object? separator, long maxSplit)
    {
        static string Reverse(string text) => string.Concat(text.Reverse());
        var reversed = Split(Reverse(s), separator is null ? null : Reverse(Text(separator, "rsplit")), maxSplit);
        reversed.Reverse();
        return reversed.Select(piece => (object?)Reverse((string)piece!)).ToList();
    }

    private static long MaxSplit(Arguments args) => args.Get(1, "maxsplit", -1L) switch
    {
        long n => n,
        var other => throw new ChatTemplateException($"maxsplit must be an integer, not '{TemplateValues.TypeName(other)}'"),
    };

    private static bool Affix(string s, object? affix, Func<string, StringComparison, bool> test) => affix switch
    {
        List<object?> options => options.Any(option => test(Text(option, "startswith/endswith"), StringComparison.Ordinal)),
        _ => test(Text(affix, "startswith/endswith"), StringComparison.Ordinal),
    };

    public static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    private static long Count(string s, string sub)
    {
        if (sub.Length == 0) return s.Length + 1;
        long count = 0;
        for (var at = s.IndexOf(sub, StringComparison.Ordinal); at >= 0; at = s.IndexOf(sub, at + sub.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    private static string Text(object? value, string function) =>
        value as string ?? throw new ChatTemplateException($"{function}() needs a string, not '{TemplateValues.TypeName(value)}'");
}
