namespace Rlpt.Interop.ChatTemplates;

/// <summary>A chat template that cannot be parsed or rendered, or one that called <c>raise_exception</c>.</summary>
public sealed class ChatTemplateException : Exception
{
    public ChatTemplateException(string detail, SourcePosition? position = null)
        : base(position is { } p ? $"chat template line {p.Line}, column {p.Column}: {detail}" : $"chat template: {detail}")
    {
        Detail = detail;
        Position = position;
    }

    /// <summary>The problem without the location prefix.</summary>
    public string Detail { get; }

    /// <summary>Where in the template source the problem is, when known.</summary>
    public SourcePosition? Position { get; }
}

/// <summary>A 1-based line and column in a template's source.</summary>
public readonly record struct SourcePosition(int Line, int Column);
