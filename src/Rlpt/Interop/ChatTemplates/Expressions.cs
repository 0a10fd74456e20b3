namespace Rlpt.Interop.ChatTemplates;

/// <summary>An expression of the template language, with where it starts in the source for error messages.</summary>
internal abstract record Expr(SourcePosition Position);

internal sealed record LiteralExpr(object? Value, SourcePosition Position) : Expr(Position);

internal sealed record NameExpr(string Name, SourcePosition Position) : Expr(Position);

internal sealed record ListExpr(IReadOnlyList<Expr> Items, SourcePosition Position) : Expr(Position);

internal sealed record DictExpr(IReadOnlyList<(Expr Key, Expr Value)> Entries, SourcePosition Position) : Expr(Position);

/// <summary><c>a.b</c>: attribute first, then item, as Jinja does.</summary>
internal sealed record AttributeExpr(Expr Target, string Name, SourcePosition Position) : Expr(Position);

/// <summary><c>a[b]</c>: item first, then attribute.</summary>
internal sealed record ItemExpr(Expr Target, Expr Key, SourcePosition Position) : Expr(Position);

internal sealed record SliceExpr(Expr Target, Expr? Start, Expr? Stop, Expr? Step, SourcePosition Position) : Expr(Position);

internal sealed record CallArguments(IReadOnlyList<Expr> Positional, IReadOnlyList<(string Name, Expr Value)> Named);

internal sealed record CallExpr(Expr Callee, CallArguments Arguments, SourcePosition Position) : Expr(Position);

internal sealed record FilterExpr(Expr Value, string Name, CallArguments Arguments, SourcePosition Position) : Expr(Position);

/// <summary><c>value is [not] name(args)</c>.</summary>
internal sealed record TestExpr(Expr Value, string Name, CallArguments Arguments, bool Negated, SourcePosition Position) : Expr(Position);

/// <summary>Unary "-", "+" or "not".</summary>
internal sealed record UnaryExpr(string Operator, Expr Operand, SourcePosition Position) : Expr(Position);

/// <summary>Arithmetic, "~", "and", "or".</summary>
internal sealed record BinaryExpr(string Operator, Expr Left, Expr Right, SourcePosition Position) : Expr(Position);

/// <summary>A comparison chain such as <c>a &lt; b &lt;= c</c>; operators include "in" and "not in".</summary>
internal sealed record CompareExpr(Expr First, IReadOnlyList<(string Operator, Expr Operand)> Rest, SourcePosition Position) : Expr(Position);

/// <summary><c>then if condition else otherwise</c>; without "else" it yields undefined.</summary>
internal sealed record ConditionalExpr(Expr Condition, Expr Then, Expr? Otherwise, SourcePosition Position) : Expr(Position);
