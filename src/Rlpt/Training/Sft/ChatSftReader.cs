using System.Text.Json;
using Rlpt.Tokenization;

namespace Rlpt.Training.Sft;

/// <summary>
/// Reads general SFT data in JSON Lines chat form, one conversation per line:
/// {"messages":[{"role":"system|user|assistant","content":"..."}, ...]}. The prompt is every turn before the last
/// message in the chat format, opening the assistant turn; the completion is that message's content plus
/// &lt;|im_end|&gt;. The last message must be the assistant's, so no turn is silently dropped. Blank lines are
/// skipped; any other bad line is an <see cref="InvalidDataException"/> naming the file and line.
/// </summary>
public static class ChatSftReader
{
    private static readonly string[] Roles = [ChatFormat.System, ChatFormat.User, ChatFormat.Assistant];

    public static IEnumerable<SftExample> Read(string path)
    {
        using var reader = new StreamReader(path);
        foreach (var example in Read(reader, path)) yield return example;
    }

    /// <param name="name">How errors name the input (usually its path).</param>
    public static IEnumerable<SftExample> Read(TextReader reader, string name)
    {
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return Parse(line, $"{name}:{lineNumber}");
        }
    }

    private static SftExample Parse(string line, string where)
    {
        JsonDocument json;
        try { json = JsonDocument.Parse(line); }
        catch (JsonException e) { throw new InvalidDataException($"{where}: invalid JSON ({e.Message})", e); }
        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{where}: expected an object with a \"messages\" array.");
            var turns = new List<ChatMessage>();
            foreach (var message in messages.EnumerateArray())
                turns.Add(ParseMessage(message, $"{where}: message {turns.Count + 1}"));
            if (turns.Count == 0 || turns[^1].Role != ChatFormat.Assistant)
                throw new InvalidDataException($"{where}: the last message must be the assistant's (it is the completion to learn).");
            if (!turns.Take(turns.Count - 1).Any(t => t.Role == ChatFormat.User))
                throw new InvalidDataException($"{where}: no user message before the assistant's answer.");
            return new SftExample(ChatFormat.Prompt(turns.Take(turns.Count - 1)), turns[^1].Content + SpecialTokens.ImEnd);
        }
    }

    internal static ChatMessage ParseMessage(JsonElement message, string where)
    {
        if (message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String
            || !message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{where}: expected {{\"role\": string, \"content\": string}}.");
        string roleName = role.GetString()!;
        if (!Roles.Contains(roleName))
            throw new InvalidDataException($"{where}: unknown role '{roleName}' (expected {string.Join(", ", Roles)}).");
        return new ChatMessage(roleName, CheckContent(content.GetString()!, where));
    }

    /// <summary>Message text without turn markers: one inside a message would let it forge the boundaries of others.</summary>
    internal static string CheckContent(string text, string where)
    {
        if (text.Contains(SpecialTokens.ImStart, StringComparison.Ordinal) || text.Contains(SpecialTokens.ImEnd, StringComparison.Ordinal))
            throw new InvalidDataException($"{where}: content contains {SpecialTokens.ImStart} or {SpecialTokens.ImEnd}.");
        return text;
    }
}
