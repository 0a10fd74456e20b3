namespace Rlpt.Interop.ChatTemplates;

/// <summary>
/// Chat templates come from downloaded model folders, so they are untrusted code. Like Hugging Face's
/// ImmutableSandboxedEnvironment, the interpreter reaches no .NET object (attribute access is dict keys and a fixed
/// set of string, list and dict methods), cannot change its inputs' types, and has no I/O; on top of that every
/// render is bounded, so a hostile template fails with a clear error instead of hanging, exhausting memory or
/// overflowing the stack. A chat prompt is nowhere near these limits.
/// </summary>
internal static class TemplateLimits
{
    /// <summary>Expression and block nesting when parsing (deeper nesting would overflow the stack when rendering).</summary>
    public const int MaxNesting = 100;
    /// <summary>Macro calls nested deeper than this are refused (a recursive macro would otherwise overflow the stack).</summary>
    public const int MaxCallDepth = 100;
    /// <summary>Loop iterations in one render, over all loops (nested loops multiply).</summary>
    public const long MaxIterations = 1_000_000;
    /// <summary>range() longer than this is refused before any list is built.</summary>
    public const long MaxRangeLength = 1_000_000;
    /// <summary>The longest string or list a single operation (repetition, concatenation, replace, join) may build.</summary>
    public const long MaxValueLength = 10_000_000;
    /// <summary>Characters built in one render (output, captured blocks, macro results, concatenations), in all.</summary>
    public const long MaxCharacters = 50_000_000;
}

/// <summary>
/// The work one render has done, against <see cref="TemplateLimits"/>. One budget per render, reachable from the
/// static helpers (operators, methods, filters) through <see cref="Current"/> for the render's thread.
/// </summary>
internal sealed class RenderBudget
{
    [ThreadStatic] private static RenderBudget? current;
    private long iterations, characters;

    /// <summary>The budget of the render running on this thread (operators, methods and filters run only inside one).</summary>
    public static RenderBudget Current => current ?? throw new InvalidOperationException("template helpers run only inside ChatTemplate.Render.");

    /// <summary>Runs <paramref name="render"/> with a fresh budget.</summary>
    public static T Run<T>(Func<T> render)
    {
        var saved = current;
        current = new RenderBudget();
        try { return render(); }
        finally { current = saved; }
    }

    public void Iterate()
    {
        if (++iterations > TemplateLimits.MaxIterations)
            throw new ChatTemplateException($"the template ran more than {TemplateLimits.MaxIterations:N0} loop iterations");
    }

    /// <summary>Refuses a value about to grow past <see cref="TemplateLimits.MaxValueLength"/> (checked while it is built).</summary>
    public static void CheckLength(long length)
    {
        if (length > TemplateLimits.MaxValueLength)
            throw new ChatTemplateException($"the template built a value of {length:N0} characters or items (at most {TemplateLimits.MaxValueLength:N0})");
    }

    /// <summary>Accounts for building a value of <paramref name="length"/> characters (or items), refused if too long.</summary>
    public void Build(long length)
    {
        CheckLength(length);
        characters += length;
        if (characters > TemplateLimits.MaxCharacters)
            throw new ChatTemplateException($"the template built more than {TemplateLimits.MaxCharacters:N0} characters in all");
    }
}
