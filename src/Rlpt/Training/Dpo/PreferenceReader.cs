using System.Text.Json;
using Rlpt.Tokenization;
using Rlpt.Training.Sft;

namespace Rlpt.Training.Dpo;

/// <summary>
/// Reads preference pairs from JSON Lines in TRL's three layouts, one pair per line:
/// <list type="bullet">
/// <item>standard: {"prompt": "...", "chosen": "...", "rejected": "..."}, used as written (the prompt already in the
/// model's format);</item>
/// <item>conversational: "prompt" a list of messages, "chosen"/"rejected" one assistant message each (a list of one, or a
/// string): the prompt in the chat format opening the assistant turn, each answer plus &lt;|im_end|&gt;;</item>
/// <item>implicit prompt: "chosen" and "rejected" whole conversations that differ only in their last, assistant message.</item>
/// </list>
/// Blank lines are skipped; any other bad line is an <see cref="InvalidDataException"/> naming the file and line, as are
/// a pair whose two answers are equal (no preference to learn) and a file without pairs.
/// </summary>
public static class PreferenceReader
{
    public static IReadOnlyList<PreferencePair> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"preference file not found: {path}", path);
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    public static IReadOnlyList<PreferencePair> Read(TextReader reader, string name)
    {
        var pairs = new List<PreferencePair>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            pairs.Add(Parse(line, $"{name}:{lineNumber}"));
        }
        if (pairs.Count == 0) throw new InvalidDataException($"{name}: no preference pairs.");
        return pairs;
    }

    private static PreferencePair Parse(string line, string where)
    {
        JsonDocument json;
        try { json = JsonDocument.Parse(line); }
        catch (JsonException e) { throw new InvalidDataException($"{where}: invalid JSON ({e.Message})", e); }
        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("chosen", out var chosen) || !root.TryGetProperty("rejected", out var rejected))
                throw new InvalidDataException($"{where}: expected an object with \"chosen\" and \"rejected\" (and usually \"prompt\").");
            var pair = root.TryGetProperty("prompt", out var prompt) ? WithPrompt(prompt, chosen, rejected, where) : Implicit(chosen, rejected, where);
            if (pair.Chosen == pair.Rejected) throw new InvalidDataException($"{where}: chosen and rejected are the same answer.");
            return pair;
        }
    }

    private static PreferencePair WithPrompt(JsonElement prompt, JsonElement chosen, JsonElement rejected, string where)
    {
        if (prompt.ValueKind == JsonValueKind.String)
            return new PreferencePair(prompt.GetString()!, Text(chosen, $"{where}: chosen"), Text(rejected, $"{where}: rejected"));
        if (prompt.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{where}: \"prompt\" must be a string or a list of messages.");
        var turns = Messages(prompt, $"{where}: prompt");
        if (!turns.Any(t => t.Role == ChatFormat.User)) throw new InvalidDataException($"{where}: the prompt has no user message.");
        return new PreferencePair(ChatFormat.Prompt(turns), Answer(chosen, $"{where}: chosen"), Answer(rejected, $"{where}: rejected"));
    }

    private static PreferencePair Implicit(JsonElement chosen, JsonElement rejected, string where)
    {
        if (chosen.ValueKind != JsonValueKind.Array || rejected.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{where}: without \"prompt\", chosen and rejected must be whole conversations (lists of messages).");
        var a = Messages(chosen, $"{where}: chosen");
        var b = Messages(rejected, $"{where}: rejected");
        if (a.Count < 2 || a[^1].Role != ChatFormat.Assistant || b.Count < 2 || b[^1].Role != ChatFormat.Assistant)
            throw new InvalidDataException($"{where}: each conversation must end with the assistant's answer after at least one turn.");
        if (a.Count != b.Count || !a.Take(a.Count - 1).SequenceEqual(b.Take(b.Count - 1)))
            throw new InvalidDataException($"{where}: chosen and rejected must share every message but the last (the implicit prompt).");
        return new PreferencePair(ChatFormat.Prompt(a.Take(a.Count - 1)), a[^1].Content + SpecialTokens.ImEnd, b[^1].Content + SpecialTokens.ImEnd);
    }

    private static string Text(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new InvalidDataException($"{where}: with a text prompt, the answer must be text.");

    /// <summary>A chat answer: one assistant message (alone in a list) or its text, ending the turn.</summary>
    private static string Answer(JsonElement value, string where)
    {
        if (value.ValueKind == JsonValueKind.String) return ChatSftReader.CheckContent(value.GetString()!, where) + SpecialTokens.ImEnd;
        var turns = value.ValueKind == JsonValueKind.Array ? Messages(value, where) : throw new InvalidDataException($"{where}: expected a string or a list with one assistant message.");
        if (turns.Count != 1 || turns[0].Role != ChatFormat.Assistant) throw new InvalidDataException($"{where}: expected exactly one assistant message.");
        return turns[0].Content + SpecialTokens.ImEnd;
    }

    private static List<ChatMessage> Messages(JsonElement array, string where) =>
        array.EnumerateArray().Select((m, i) => ChatSftReader.ParseMessage(m, $"{where}: message {i + 1}")).ToList();
}
