namespace Rlpt.Interop.ChatTemplates;

/// <summary>Arithmetic with Python's semantics: int and float mixing, true division, floor division and modulo.</summary>
internal static class TemplateOperators
{
    public static object? Binary(string op, object? a, object? b)
    {
        if (a is Undefined u) throw u.Error();
        if (b is Undefined v) throw v.Error();
        switch (op, a, b)
        {
            case ("+", string s, string t): return Concatenate(s, t);
            case ("+", List<object?> l, List<object?> m):
                RenderBudget.Current.Build((long)l.Count + m.Count);
                return l.Concat(m).ToList();
            case ("*", string s, _) when IsInteger(b): return Repeat(b, s.Length, n => string.Concat(Enumerable.Repeat(s, n)));
            case ("*", _, string s) when IsInteger(a): return Repeat(a, s.Length, n => string.Concat(Enumerable.Repeat(s, n)));
            case ("*", List<object?> l, _) when IsInteger(b): return Repeat(b, l.Count, n => Enumerable.Repeat(l, n).SelectMany(x => x).ToList());
        }
        if (!TemplateValues.TryNumber(a, out var x, out var xInt) || !TemplateValues.TryNumber(b, out var y, out var yInt))
            throw new ChatTemplateException($"unsupported operand types for {op}: '{TemplateValues.TypeName(a)}' and '{TemplateValues.TypeName(b)}'");
        if (xInt && yInt) return IntegerOp(op, (long)x, (long)y);
        return op switch
        {
            "+" => x + y,
            "-" => x - y,
            "*" => x * y,
            "/" => y == 0 ? throw DivisionByZero() : x / y,
            "//" => y == 0 ? throw DivisionByZero() : Math.Floor(x / y),
            "%" => y == 0 ? throw DivisionByZero() : x - y * Math.Floor(x / y),
            "**" => Math.Pow(x, y),
            _ => throw new ChatTemplateException($"unknown operator '{op}'"),
        };
    }

    private static object IntegerOp(string op, long x, long y)
    {
        try
        {
            checked
            {
                switch (op)
                {
                    case "+": return x + y;
                    case "-": return x - y;
                    case "*": return x * y;
                    case "/": return y == 0 ? throw DivisionByZero() : (double)x / y;
                    case "//" or "%":
                        if (y == 0) throw DivisionByZero();
                        var quotient = x / y;
                        if (x % y != 0 && (x < 0) != (y < 0)) quotient--;
                        return op == "//" ? quotient : x - quotient * y;
                    case "**":
                        if (y < 0) return Math.Pow(x, y);
                        // Square-and-multiply, so huge exponents of 0, 1 or -1 finish at once.
                        long result = 1, power = x;
                        for (var e = y; e > 0; e >>= 1)
                        {
                            if ((e & 1) == 1) result *= power;
                            if (e > 1) power *= power;
                        }
                        return result;
                    default:
                        throw new ChatTemplateException($"unknown operator '{op}'");
                }
            }
        }
        catch (OverflowException)
        {
            throw new ChatTemplateException($"integer overflow in {x} {op} {y}");
        }
    }

    public static object? Negate(string op, object? value) => value switch
    {
        Undefined u => throw u.Error(),
        // Boxed per arm: a switch over long and double would otherwise turn every result into a double.
        bool b => (object)(op == "-" ? -(b ? 1L : 0L) : (b ? 1L : 0L)),
        long n => (object)(op == "-" ? -n : n),
        double d => (object)(op == "-" ? -d : d),
        _ => throw new ChatTemplateException($"bad operand type for unary {op}: '{TemplateValues.TypeName(value)}'"),
    };

    private static bool IsInteger(object? value) => value is long or bool;

    private static object Repeat(object? times, long unit, Func<int, object> repeat)
    {
        var n = Math.Max(0, times is bool b ? (b ? 1 : 0) : (long)times!);
        if (n > TemplateLimits.MaxValueLength / Math.Max(unit, 1)) throw new ChatTemplateException($"repetition by {n} is too large");
        RenderBudget.Current.Build(n * unit);
        return repeat((int)n);
    }

    /// <summary>String concatenation (+ and ~), within the render's budget.</summary>
    public static string Concatenate(string left, string right)
    {
        RenderBudget.Current.Build((long)left.Length + right.Length);
        return left + right;
    }

    private static ChatTemplateException DivisionByZero() => new("division by zero");
}
