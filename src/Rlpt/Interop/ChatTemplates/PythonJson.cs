using System.Globalization;
using System.Text;

namespace Rlpt.Interop.ChatTemplates;

/// <summary>
/// The <c>tojson</c> filter as transformers defines it: Python's json.dumps with ensure_ascii=False, so separators are
/// ", " and ": " (or "," and ": " with an indent) and non-ASCII text stays as it is.
/// </summary>
internal static class PythonJson
{
    public static string Serialize(object? value, int? indent, bool sortKeys)
    {
        var builder = new StringBuilder();
        Write(builder, value, indent, sortKeys, 0);
        RenderBudget.Current.Build(builder.Length);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, object? value, int? indent, bool sortKeys, int depth)
    {
        // A list of many references to one long string is cheap to make and costly to write out: check as it grows.
        if (builder.Length > TemplateLimits.MaxValueLength)
            throw new ChatTemplateException($"tojson output exceeds {TemplateLimits.MaxValueLength:N0} characters");
        switch (value)
        {
            case null: builder.Append("null"); break;
            case bool b: builder.Append(b ? "true" : "false"); break;
            case long n: builder.Append(n.ToString(CultureInfo.InvariantCulture)); break;
            case double d:
                builder.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : TemplateValues.FormatFloat(d));
                break;
            case string s: WriteString(builder, s); break;
            case List<object?> list:
                WriteContainer(builder, '[', ']', list, indent, depth, item => Write(builder, item, indent, sortKeys, depth + 1));
                break;
            case OrderedDictionary<string, object?> dict:
                var entries = sortKeys ? dict.OrderBy(p => p.Key, StringComparer.Ordinal).ToList() : dict.ToList();
                WriteContainer(builder, '{', '}', entries, indent, depth, entry =>
                {
                    WriteString(builder, entry.Key);
                    builder.Append(": ");
                    Write(builder, entry.Value, indent, sortKeys, depth + 1);
                });
                break;
            default:
                throw new ChatTemplateException($"object of type '{TemplateValues.TypeName(value)}' is not JSON serializable");
        }
    }

    private static void WriteContainer<T>(StringBuilder builder, char open, char close, IReadOnlyList<T> items, int? indent, int depth, Action<T> writeItem)
    {
        builder.Append(open);
        if (items.Count == 0)
        {
            builder.Append(close);
            return;
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) builder.Append(indent is null ? ", " : ",");
            if (indent is { } step) builder.Append('\n').Append(' ', step * (depth + 1));
            writeItem(items[i]);
        }
        if (indent is { } width) builder.Append('\n').Append(' ', width * depth);
        builder.Append(close);
    }

    private static void WriteString(StringBuilder builder, string s)
    {
        builder.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case < ' ': builder.Append($"\\u{(int)c:x4}"); break;
                default: builder.Append(c); break;
            }
        }
        builder.Append('"');
    }
}
