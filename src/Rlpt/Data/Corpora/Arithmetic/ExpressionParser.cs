namespace Rlpt.Data.Corpora.Arithmetic;

/// <summary>
/// Parses arithmetic written as <see cref="Expression.Render"/> writes it. Grammar, loosest first:
/// <c>+ -</c> (left associative), <c>* /</c> (left associative), unary <c>-</c>, <c>^</c> (right associative, so
/// <c>2^3^2</c> is 512 and <c>-2^2</c> is -4), then literals and parentheses. <c>×</c>, <c>÷</c> and <c>−</c> are read
/// as <c>*</c>, <c>/</c> and <c>-</c>.
/// <para>
/// A number literal is digits, optionally followed with no space by <c>.digits</c> or <c>/digits</c>: a tight
/// <c>3/4</c> is one number, so <c>5 / 3/4</c> is 5 divided by three quarters (20/3), exactly as the worked solutions
/// write fractions. Spacing only matters there: <c>2/3/4</c> reads as (2/3) / 4 = 1/6, as ordinary precedence would.
/// </para>
/// </summary>
public static class ExpressionParser
{
    /// <exception cref="FormatException">The text is not a well-formed expression; the message gives the position.</exception>
    public static Expression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Cursor(text);
        var expression = parser.ParseSum();
        parser.SkipSpaces();
        if (!parser.AtEnd) throw parser.Error("unexpected character");
        return expression;
    }

    public static bool TryParse(string text, out Expression? expression)
    {
        try
        {
            expression = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            expression = null;
            return false;
        }
    }

    /// <summary>Parses and evaluates exactly.</summary>
    /// <exception cref="FormatException">Malformed text.</exception>
    /// <exception cref="DivideByZeroException">A division by zero.</exception>
    public static Rational Evaluate(string text) => Parse(text).Evaluate();

    private sealed class Cursor(string text)
    {
        // Deep nesting could otherwise overflow the stack on hostile input.
        private const int MaxDepth = 256;

        private int _position;
        private int _depth;

        public bool AtEnd => _position >= text.Length;

        public Expression ParseSum()
        {
            var left = ParseProduct();
            while (TryOperator(out var op, '+', '-')) left = new Binary(op, left, ParseProduct());
            return left;
        }

        private Expression ParseProduct()
        {
            var left = ParseUnary();
            while (TryOperator(out var op, '*', '/')) left = new Binary(op, left, ParseUnary());
            return left;
        }

        private Expression ParseUnary()
        {
            SkipSpaces();
            if (!AtEnd && Normalise(text[_position]) == '-')
            {
                _position++;
                return Nested(() => new Negation(ParseUnary()));
            }
            var primary = ParsePrimary();
            SkipSpaces();
            if (!AtEnd && text[_position] == '^')
            {
                _position++;
                return Nested(() => new Power(primary, ParseUnary()));
            }
            return primary;
        }

        private Expression ParsePrimary()
        {
            SkipSpaces();
            if (AtEnd) throw Error("expected a number or '('");
            if (text[_position] == '(')
            {
                _position++;
                var inner = Nested(ParseSum);
                SkipSpaces();
                if (AtEnd || text[_position] != ')') throw Error("expected ')'");
                _position++;
                return new Parenthesized(inner);
            }
            if (!char.IsAsciiDigit(text[_position])) throw Error("expected a number or '('");

            var start = _position;
            SkipDigits();
            // A '.' or '/' glued between digits belongs to the number.
            if (_position + 1 < text.Length && (text[_position] == '.' || text[_position] == '/') && char.IsAsciiDigit(text[_position + 1]))
            {
                _position++;
                SkipDigits();
            }
            var token = text[start.._position];
            if (!Rational.TryParse(token, out _)) throw Error($"'{token}' is not a valid number (zero denominator?)", start);
            return Literal.Parse(token);
        }

        private bool TryOperator(out Operator op, char first, char second)
        {
            SkipSpaces();
            op = default;
            if (AtEnd) return false;
            var c = Normalise(text[_position]);
            if (c != first && c != second) return false;
            op = c switch
            {
                '+' => Operator.Add,
                '-' => Operator.Subtract,
                '*' => Operator.Multiply,
                _ => Operator.Divide,
            };
            _position++;
            return true;
        }

        private static char Normalise(char c) => c switch
        {
            '×' => '*',
            '÷' => '/',
            '−' => '-',
            _ => c,
        };

        private Expression Nested(Func<Expression> parse)
        {
            if (++_depth > MaxDepth) throw Error($"nesting deeper than {MaxDepth}");
            var result = parse();
            _depth--;
            return result;
        }

        public void SkipSpaces()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_position])) _position++;
        }

        private void SkipDigits()
        {
            while (!AtEnd && char.IsAsciiDigit(text[_position])) _position++;
        }

        public FormatException Error(string what, int? at = null) =>
            new($"{what} at position {at ?? _position} in '{text}'.");
    }
}
