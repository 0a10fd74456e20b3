using Rlpt.Tokenization;

namespace Rlpt.Tokenization;

/// <summary>One turn of a conversation; role is system, user or assistant.</summary>
public sealed record ChatMessage(string Role, string Content);

/// <summary>
/// The ChatML-style format Rlpt's own models are trained with: each turn is
/// "&lt;|im_start|&gt;{role}\n{content}&lt;|im_end|&gt;\n" and a prompt ends with an opened assistant turn.
/// </summary>
public static class ChatFormat
{
    public const string Assistant = "assistant";
    public const string User = "user";
    public const string System = "system";

    public static string Turn(string role, string content) => $"{SpecialTokens.ImStart}{role}\n{content}{SpecialTokens.ImEnd}\n";

    /// <summary>The turns followed by the start of the assistant's answer (with "&lt;think&gt;\n" when <paramref name="openThink"/>).</summary>
    public static string Prompt(IEnumerable<ChatMessage> turns, bool openThink = false) =>
        string.Concat(turns.Select(t => Turn(t.Role, t.Content))) + AssistantStart(openThink);

    public static string UserPrompt(string content, bool openThink = false) => Turn(User, content) + AssistantStart(openThink);

    private static string AssistantStart(bool openThink) =>
        $"{SpecialTokens.ImStart}{Assistant}\n" + (openThink ? SpecialTokens.ThinkStart + "\n" : "");
}
