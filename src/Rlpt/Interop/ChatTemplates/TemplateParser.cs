namespace Rlpt.Interop.ChatTemplates;

/// <summary>Builds the statement tree of a template from its tokens; unknown constructs fail here, with their position.</summary>
internal sealed partial class TemplateParser
{
    private readonly List<TemplateToken> _tokens;
    private int _index;
    private int _loopDepth;
    private int _nesting;

    private TemplateParser(List<TemplateToken> tokens) => _tokens = tokens;

    public static IReadOnlyList<Statement> Parse(string source)
    {
        var parser = new TemplateParser(TemplateLexer.Tokenize(source));
        return parser.ParseBody(null);
    }

    private TemplateToken Current => _tokens[_index];

    /// <summary>One level deeper (a block, an operand); refused past <see cref="TemplateLimits.MaxNesting"/>, before the stack is at risk.</summary>
    private Nesting Nest(TemplateToken at)
    {
        if (++_nesting > TemplateLimits.MaxNesting)
            throw new ChatTemplateException($"nested deeper than {TemplateLimits.MaxNesting} levels", at.Position);
        return new Nesting(this);
    }

    private readonly struct Nesting(TemplateParser parser) : IDisposable
    {
        public void Dispose() => parser._nesting--;
    }

    private TemplateToken Peek(int ahead = 1) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private TemplateToken Advance() => _tokens[_index++];

    /// <summary>
    /// Statements up to a tag whose keyword is one of <paramref name="ends"/>, which is left unconsumed; with no ends,
    /// up to the end of the template. <paramref name="opening"/> names the block for the "never closed" error.
    /// </summary>
    private List<Statement> ParseBody(string[]? ends, TemplateToken? opening = null)
    {
        using var _ = Nest(opening ?? Current);
        var body = new List<Statement>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Text:
                    Advance();
                    body.Add(new TextStatement(token.Text, token.Position));
                    break;
                case TokenKind.OutputBegin:
                    Advance();
                    body.Add(new OutputStatement(ParseExpression(), token.Position));
                    Expect(TokenKind.OutputEnd);
                    break;
                case TokenKind.StatementBegin:
                    if (ends is not null && Peek().Kind == TokenKind.Name && ends.Contains(Peek().Text)) return body;
                    Advance();
                    body.AddRange(ParseStatement(token.Position));
                    break;
                case TokenKind.End:
                    if (ends is null) return body;
                    throw new ChatTemplateException($"'{opening!.Text}' block is never closed (expected '{{% {ends[^1]} %}}')", opening.Position);
                default:
                    throw Unexpected(token);
            }
        }
    }

    private IEnumerable<Statement> ParseStatement(SourcePosition position)
    {
        var keyword = Expect(TokenKind.Name);
        switch (keyword.Text)
        {
            case "if": return [ParseIf(keyword)];
            case "for": return [ParseFor(keyword)];
            case "set": return [ParseSet(keyword)];
            case "macro": return [ParseMacro(keyword)];
            case "break" or "continue":
                if (_loopDepth == 0) throw new ChatTemplateException($"'{keyword.Text}' outside a for loop", keyword.Position);
                Expect(TokenKind.StatementEnd);
                return [new LoopControlStatement(keyword.Text == "break", position)];
            case "generation":
                // transformers' {% generation %} marks assistant text for masks; it renders its body unchanged.
                Expect(TokenKind.StatementEnd);
                var body = ParseBody(["endgeneration"], keyword);
                CloseBlock("endgeneration");
                return body;
            default:
                if (keyword.Text.StartsWith("end", StringComparison.Ordinal)) throw Unexpected(keyword);
                throw new ChatTemplateException($"unknown or unsupported statement '{keyword.Text}'", keyword.Position);
        }
    }

    private IfStatement ParseIf(TemplateToken opening)
    {
        var branches = new List<(Expr, IReadOnlyList<Statement>)>();
        IReadOnlyList<Statement> otherwise = [];
        var condition = ParseExpression();
        while (true)
        {
            Expect(TokenKind.StatementEnd);
            branches.Add((condition, ParseBody(["elif", "else", "endif"], opening)));
            Advance();
            var keyword = Advance().Text;
            if (keyword == "elif")
            {
                condition = ParseExpression();
                continue;
            }
            if (keyword == "else")
            {
                Expect(TokenKind.StatementEnd);
                otherwise = ParseBody(["endif"], opening);
                CloseBlock("endif");
            }
            else
            {
                Expect(TokenKind.StatementEnd);
            }
            return new IfStatement(branches, otherwise, opening.Position);
        }
    }

    private ForStatement ParseFor(TemplateToken opening)
    {
        var targets = ParseTargets();
        ExpectName("in");
        // The iterable stops before "if", which starts the loop filter rather than a conditional expression.
        var iterable = ParseOr();
        Expr? filter = null;
        if (Current.IsName("if"))
        {
            Advance();
            filter = ParseExpression();
        }
        if (Current.IsName("recursive")) throw new ChatTemplateException("recursive loops are not supported", Current.Position);
        Expect(TokenKind.StatementEnd);
        _loopDepth++;
        var body = ParseBody(["else", "endfor"], opening);
        _loopDepth--;
        IReadOnlyList<Statement> otherwise = [];
        if (Peek().IsName("else"))
        {
            Advance();
            Advance();
            Expect(TokenKind.StatementEnd);
            otherwise = ParseBody(["endfor"], opening);
        }
        CloseBlock("endfor");
        return new ForStatement(targets, iterable, filter, body, otherwise, opening.Position);
    }

    private Statement ParseSet(TemplateToken opening)
    {
        string? ns = null;
        List<string> targets;
        if (Peek().IsOperator("."))
        {
            ns = Expect(TokenKind.Name).Text;
            Advance();
            targets = [Expect(TokenKind.Name).Text];
        }
        else
        {
            targets = ParseTargets();
        }
        if (Current.IsOperator("="))
        {
            Advance();
            var value = ParseTupleOrExpression();
            Expect(TokenKind.StatementEnd);
            return new SetStatement(ns, targets, value, opening.Position);
        }
        if (ns is not null || targets.Count != 1) throw Unexpected(Current);
        Expect(TokenKind.StatementEnd);
        var body = ParseBody(["endset"], opening);
        CloseBlock("endset");
        return new SetBlockStatement(targets[0], body, opening.Position);
    }

    private MacroStatement ParseMacro(TemplateToken opening)
    {
        var name = Expect(TokenKind.Name).Text;
        ExpectOperator("(");
        var parameters = new List<(string, Expr?)>();
        while (!Current.IsOperator(")"))
        {
            if (parameters.Count > 0) ExpectOperator(",");
            var parameter = Expect(TokenKind.Name).Text;
            Expr? fallback = null;
            if (Current.IsOperator("="))
            {
                Advance();
                fallback = ParseExpression();
            }
            parameters.Add((parameter, fallback));
        }
        Advance();
        Expect(TokenKind.StatementEnd);
        var body = ParseBody(["endmacro"], opening);
        CloseBlock("endmacro");
        return new MacroStatement(name, parameters, body, opening.Position);
    }

    private List<string> ParseTargets()
    {
        var targets = new List<string> { Expect(TokenKind.Name).Text };
        while (Current.IsOperator(","))
        {
            Advance();
            targets.Add(Expect(TokenKind.Name).Text);
        }
        return targets;
    }

    /// <summary>Consumes <c>{% keyword %}</c>, which <see cref="ParseBody"/> has just stopped at.</summary>
    private void CloseBlock(string keyword)
    {
        Expect(TokenKind.StatementBegin);
        ExpectName(keyword);
        Expect(TokenKind.StatementEnd);
    }

    private TemplateToken Expect(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            var wanted = kind switch
            {
                TokenKind.OutputEnd => "'}}'",
                TokenKind.StatementEnd => "'%}'",
                TokenKind.StatementBegin => "'{%'",
                _ => kind.ToString().ToLowerInvariant(),
            };
            throw new ChatTemplateException($"expected {wanted} but found {Current.Describe()}", Current.Position);
        }
        return Advance();
    }

    private void ExpectName(string name)
    {
        if (!Current.IsName(name)) throw new ChatTemplateException($"expected '{name}' but found {Current.Describe()}", Current.Position);
        Advance();
    }

    private void ExpectOperator(string op)
    {
        if (!Current.IsOperator(op)) throw new ChatTemplateException($"expected '{op}' but found {Current.Describe()}", Current.Position);
        Advance();
    }

    private static ChatTemplateException Unexpected(TemplateToken token) =>
        new(token.Kind == TokenKind.Name && token.Text.StartsWith("end", StringComparison.Ordinal)
            ? $"unexpected '{token.Text}': no open block it could close"
            : $"unexpected {token.Describe()}", token.Position);
}
