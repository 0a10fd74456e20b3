namespace Rlpt.Interop.ChatTemplates;

/// <summary>Expressions, with Jinja's precedence: conditional, or, and, not, comparisons, + -, ~, * / // %, **, unary, then postfix and filters.</summary>
internal sealed partial class TemplateParser
{
    private static readonly HashSet<string> ComparisonOperators = ["==", "!=", "<", ">", "<=", ">="];

    private Expr ParseExpression()
    {
        var expr = ParseOr();
        while (Current.IsName("if"))
        {
            var position = Advance().Position;
            var condition = ParseOr();
            Expr? otherwise = null;
            if (Current.IsName("else"))
            {
                Advance();
                otherwise = ParseExpression();
            }
            expr = new ConditionalExpr(condition, expr, otherwise, position);
        }
        return expr;
    }

    /// <summary>"a, b" on the right of set is a tuple (a list here).</summary>
    private Expr ParseTupleOrExpression()
    {
        var first = ParseExpression();
        if (!Current.IsOperator(",")) return first;
        var items = new List<Expr> { first };
        while (Current.IsOperator(","))
        {
            Advance();
            items.Add(ParseExpression());
        }
        return new ListExpr(items, first.Position);
    }

    private Expr ParseOr() => ParseLeftAssociative(ParseAnd, TokenKind.Name, "or");

    private Expr ParseAnd() => ParseLeftAssociative(ParseNot, TokenKind.Name, "and");

    private Expr ParseNot()
    {
        if (!Current.IsName("not")) return ParseCompare();
        using var _ = Nest(Current);
        var position = Advance().Position;
        return new UnaryExpr("not", ParseNot(), position);
    }

    private Expr ParseCompare()
    {
        var first = ParseMath1();
        var rest = new List<(string, Expr)>();
        while (true)
        {
            string op;
            if (Current.Kind == TokenKind.Operator && ComparisonOperators.Contains(Current.Text)) op = Advance().Text;
            else if (Current.IsName("in")) op = Advance().Text;
            else if (Current.IsName("not") && Peek().IsName("in"))
            {
                Advance();
                Advance();
                op = "not in";
            }
            else break;
            rest.Add((op, ParseMath1()));
        }
        return rest.Count == 0 ? first : new CompareExpr(first, rest, first.Position);
    }

    private Expr ParseMath1() => ParseLeftAssociative(ParseConcat, TokenKind.Operator, "+", "-");

    private Expr ParseConcat() => ParseLeftAssociative(ParseMath2, TokenKind.Operator, "~");

    private Expr ParseMath2() => ParseLeftAssociative(ParsePower, TokenKind.Operator, "*", "/", "//", "%");

    private Expr ParsePower() => ParseLeftAssociative(() => ParseUnary(true), TokenKind.Operator, "**");

    private Expr ParseLeftAssociative(Func<Expr> operand, TokenKind kind, params string[] operators)
    {
        var left = operand();
        while (Current.Kind == kind && operators.Contains(Current.Text))
        {
            var op = Advance();
            left = new BinaryExpr(op.Text, left, operand(), op.Position);
        }
        return left;
    }

    private Expr ParseUnary(bool withFilters)
    {
        using var _ = Nest(Current);
        Expr expr;
        if (Current.IsOperator("-") || Current.IsOperator("+"))
        {
            var op = Advance();
            expr = new UnaryExpr(op.Text, ParseUnary(false), op.Position);
        }
        else
        {
            expr = ParsePostfix(ParsePrimary());
        }
        return withFilters ? ParseFiltersAndTests(expr) : expr;
    }

    private Expr ParsePrimary()
    {
        var token = Advance();
        switch (token.Kind)
        {
            case TokenKind.Name:
                return token.Text switch
                {
                    "true" or "True" => new LiteralExpr(true, token.Position),
                    "false" or "False" => new LiteralExpr(false, token.Position),
                    "none" or "None" => new LiteralExpr(null, token.Position),
                    _ => new NameExpr(token.Text, token.Position),
                };
            case TokenKind.String:
                // Adjacent string literals concatenate, as in Python.
                var text = (string)token.Value!;
                while (Current.Kind == TokenKind.String) text += (string)Advance().Value!;
                return new LiteralExpr(text, token.Position);
            case TokenKind.Integer or TokenKind.Float:
                return new LiteralExpr(token.Value, token.Position);
            case TokenKind.Operator when token.Text == "(":
                if (Current.IsOperator(")"))
                {
                    Advance();
                    return new ListExpr([], token.Position);
                }
                var inner = ParseTupleOrExpression();
                ExpectOperator(")");
                return inner;
            case TokenKind.Operator when token.Text == "[":
                var items = new List<Expr>();
                while (!Current.IsOperator("]"))
                {
                    if (items.Count > 0) ExpectOperator(",");
                    if (Current.IsOperator("]")) break;
                    items.Add(ParseExpression());
                }
                Advance();
                return new ListExpr(items, token.Position);
            case TokenKind.Operator when token.Text == "{":
                var entries = new List<(Expr, Expr)>();
                while (!Current.IsOperator("}"))
                {
                    if (entries.Count > 0) ExpectOperator(",");
                    if (Current.IsOperator("}")) break;
                    var key = ParseExpression();
                    ExpectOperator(":");
                    entries.Add((key, ParseExpression()));
                }
                Advance();
                return new DictExpr(entries, token.Position);
            default:
                throw Unexpected(token);
        }
    }

    private Expr ParsePostfix(Expr expr)
    {
        while (true)
        {
            var token = Current;
            if (token.IsOperator("."))
            {
                Advance();
                var member = Advance();
                expr = member.Kind switch
                {
                    TokenKind.Name => new AttributeExpr(expr, member.Text, token.Position),
                    TokenKind.Integer => new ItemExpr(expr, new LiteralExpr(member.Value, member.Position), token.Position),
                    _ => throw new ChatTemplateException($"expected an attribute name after '.' but found {member.Describe()}", member.Position),
                };
            }
            else if (token.IsOperator("["))
            {
                Advance();
                expr = ParseSubscript(expr, token.Position);
            }
            else if (token.IsOperator("("))
            {
                expr = new CallExpr(expr, ParseCallArguments(), expr.Position);
            }
            else
            {
                return expr;
            }
        }
    }

    private Expr ParseSubscript(Expr target, SourcePosition position)
    {
        Expr? start = Current.IsOperator(":") ? null : ParseExpression();
        if (Current.IsOperator("]"))
        {
            Advance();
            return new ItemExpr(target, start!, position);
        }
        ExpectOperator(":");
        Expr? stop = Current.IsOperator(":") || Current.IsOperator("]") ? null : ParseExpression();
        Expr? step = null;
        if (Current.IsOperator(":"))
        {
            Advance();
            if (!Current.IsOperator("]")) step = ParseExpression();
        }
        ExpectOperator("]");
        return new SliceExpr(target, start, stop, step, position);
    }

    private CallArguments ParseCallArguments()
    {
        ExpectOperator("(");
        var positional = new List<Expr>();
        var named = new List<(string, Expr)>();
        while (!Current.IsOperator(")"))
        {
            if (positional.Count + named.Count > 0) ExpectOperator(",");
            if (Current.IsOperator(")")) break;
            if (Current.Kind == TokenKind.Name && Peek().IsOperator("="))
            {
                var name = Advance().Text;
                Advance();
                named.Add((name, ParseExpression()));
            }
            else
            {
                if (named.Count > 0) throw new ChatTemplateException("positional argument after a keyword argument", Current.Position);
                positional.Add(ParseExpression());
            }
        }
        Advance();
        return new CallArguments(positional, named);
    }

    private Expr ParseFiltersAndTests(Expr expr)
    {
        while (true)
        {
            if (Current.IsOperator("|"))
            {
                Advance();
                var name = Expect(TokenKind.Name);
                if (!TemplateFilters.Exists(name.Text)) throw new ChatTemplateException($"unknown filter '{name.Text}'", name.Position);
                var arguments = Current.IsOperator("(") ? ParseCallArguments() : new CallArguments([], []);
                expr = new FilterExpr(expr, name.Text, arguments, name.Position);
            }
            else if (Current.IsName("is"))
            {
                expr = ParseTest(expr);
            }
            else if (Current.IsOperator("("))
            {
                expr = new CallExpr(expr, ParseCallArguments(), expr.Position);
            }
            else
            {
                return expr;
            }
        }
    }

    private TestExpr ParseTest(Expr value)
    {
        Advance();
        var negated = Current.IsName("not");
        if (negated) Advance();
        var name = Expect(TokenKind.Name);
        if (!TemplatePredicates.Exists(name.Text)) throw new ChatTemplateException($"unknown test '{name.Text}'", name.Position);
        CallArguments arguments;
        if (Current.IsOperator("(")) arguments = ParseCallArguments();
        else if (StartsTestArgument(Current)) arguments = new CallArguments([ParsePostfix(ParsePrimary())], []);
        else arguments = new CallArguments([], []);
        return new TestExpr(value, name.Text, arguments, negated, name.Position);
    }

    /// <summary>"x is divisibleby 3": a test may take one argument without parentheses, as in Jinja.</summary>
    private static bool StartsTestArgument(TemplateToken token) => token.Kind switch
    {
        TokenKind.Name => token.Text is not ("else" or "or" or "and" or "if" or "in" or "not" or "is"),
        TokenKind.String or TokenKind.Integer or TokenKind.Float => true,
        TokenKind.Operator => token.Text is "[" or "{",
        _ => false,
    };
}
