namespace Rlpt.Interop.ChatTemplates;

internal enum TokenKind
{
    Text,
    OutputBegin,
    OutputEnd,
    StatementBegin,
    StatementEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

/// <summary>One lexeme: template text, a tag delimiter, or a token inside a tag. <see cref="Value"/> holds literals' values.</summary>
internal sealed record TemplateToken(TokenKind Kind, string Text, SourcePosition Position, object? Value = null)
{
    public bool Is(TokenKind kind, string text) => Kind == kind && Text == text;

    public bool IsName(string name) => Is(TokenKind.Name, name);

    public bool IsOperator(string op) => Is(TokenKind.Operator, op);

    public string Describe() => Kind switch
    {
        TokenKind.End => "end of template",
        TokenKind.Text => "template text",
        TokenKind.StatementEnd or TokenKind.OutputEnd => $"end of tag '{Text}'",
        _ => $"'{Text}'",
    };
}
