namespace Rlpt.Interop.ChatTemplates;

/// <summary>A piece of a parsed template: text, an output tag or a statement with its body.</summary>
internal abstract record Statement(SourcePosition Position);

internal sealed record TextStatement(string Text, SourcePosition Position) : Statement(Position);

internal sealed record OutputStatement(Expr Value, SourcePosition Position) : Statement(Position);

internal sealed record IfStatement(IReadOnlyList<(Expr Condition, IReadOnlyList<Statement> Body)> Branches, IReadOnlyList<Statement> Otherwise, SourcePosition Position)
    : Statement(Position);

internal sealed record ForStatement(
    IReadOnlyList<string> Targets, Expr Iterable, Expr? Filter, IReadOnlyList<Statement> Body, IReadOnlyList<Statement> Otherwise, SourcePosition Position)
    : Statement(Position);

/// <summary><c>{% set a = v %}</c>, <c>{% set a, b = v %}</c> or <c>{% set ns.attr = v %}</c> (then <see cref="Namespace"/> is "ns").</summary>
internal sealed record SetStatement(string? Namespace, IReadOnlyList<string> Targets, Expr Value, SourcePosition Position) : Statement(Position);

/// <summary><c>{% set name %}body{% endset %}</c>: the rendered body becomes the value.</summary>
internal sealed record SetBlockStatement(string Target, IReadOnlyList<Statement> Body, SourcePosition Position) : Statement(Position);

internal sealed record MacroStatement(string Name, IReadOnlyList<(string Name, Expr? Default)> Parameters, IReadOnlyList<Statement> Body, SourcePosition Position)
    : Statement(Position);

/// <summary><c>{% break %}</c> or <c>{% continue %}</c> (Jinja's loopcontrols extension, which transformers enables).</summary>
internal sealed record LoopControlStatement(bool IsBreak, SourcePosition Position) : Statement(Position);
