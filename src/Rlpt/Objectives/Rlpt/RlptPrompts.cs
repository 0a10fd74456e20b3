using Rlpt.Tokenization;
using System.Text.RegularExpressions;

namespace Rlpt.Objectives.Rlpt;

/// <summary>Fills the task templates and wraps them in the chat format.</summary>
public static partial class RlptPrompts
{
    public static string Asr(string context, RlptPromptTemplates templates) =>
        ChatFormat.UserPrompt(Fill(templates.Asr, context, ""), templates.OpenThink);

    public static string Msr(string context, string next, RlptPromptTemplates templates) =>
        ChatFormat.UserPrompt(Fill(templates.Msr, context, next), templates.OpenThink);

    // One pass, so a "{next}" that happens to occur in the document text is left alone.
    private static string Fill(string template, string context, string next) =>
        Placeholder().Replace(template, m => m.Value == RlptPromptTemplates.ContextPlaceholder ? context : next);

    [GeneratedRegex(@"\{context\}|\{next\}")]
    private static partial Regex Placeholder();
}
