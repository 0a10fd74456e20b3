using System.Text.Json.Nodes;
using Rlpt.Interop.ChatTemplates;

namespace Rlpt.Interop;

/// <summary>
/// Reads and writes Hugging Face's <c>tokenizer_config.json</c>: the chat template and the special tokens that
/// transformers' apply_chat_template passes to it.
/// </summary>
public static class TokenizerConfigFile
{
    public const string FileName = "tokenizer_config.json";

    /// <summary>The contents that matter here; <see cref="ChatTemplate"/> is null when the file has none.</summary>
    public sealed record Contents(ChatTemplate? ChatTemplate, string? BosToken, string? EosToken, string? PadToken);

    public static Contents Read(string path)
    {
        var root = HfJson.ReadObject(path);
        return new Contents(ReadTemplate(path, root["chat_template"]), Token(path, root, "bos_token"), Token(path, root, "eos_token"), Token(path, root, "pad_token"));
    }

    /// <summary>Writes what transformers needs to load the tokenizer.json beside it and apply <paramref name="template"/>.</summary>
    public static void Write(string path, ChatTemplate template, string? bosToken, string? eosToken, string? padToken, int modelMaxLength)
    {
        var root = new JsonObject
        {
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["bos_token"] = bosToken,
            ["eos_token"] = eosToken,
            ["pad_token"] = padToken,
            ["model_max_length"] = modelMaxLength,
            // Byte-level BPE decodes exactly; transformers' clean-up would remove spaces before punctuation.
            ["clean_up_tokenization_spaces"] = false,
            ["chat_template"] = template.Source,
        };
        IO.AtomicFile.WriteAllText(path, root.ToJsonString(HfJson.Indented));
    }

    /// <summary>Parses a template from a file, naming the file in any error.</summary>
    public static ChatTemplate ParseTemplate(string path, string source)
    {
        try { return ChatTemplate.Parse(source); }
        catch (ChatTemplateException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
    }

    /// <summary>A string, or a list of {name, template} of which transformers uses "default".</summary>
    private static ChatTemplate? ReadTemplate(string path, JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonValue value when value.TryGetValue<string>(out var source):
                return ParseTemplate(path, source);
            case JsonArray list:
                var named = list.OfType<JsonObject>().FirstOrDefault(entry => entry["name"] is JsonValue name && name.TryGetValue<string>(out var n) && n == "default");
                if (named is null)
                    throw new InvalidDataException($"{path}: chat_template lists named templates but none is called 'default'.");
                if (named["template"] is not JsonValue template || !template.TryGetValue<string>(out var text))
                    throw HfJson.Invalid(path, "chat_template", "a string or a list of {\"name\", \"template\"} objects");
                return ParseTemplate(path, text);
            default:
                throw HfJson.Invalid(path, "chat_template", "a string or a list of {\"name\", \"template\"} objects");
        }
    }

    /// <summary>A special token written as a plain string or as an AddedToken object with its text in "content".</summary>
    private static string? Token(string path, JsonObject root, string field) => root[field] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonObject added when added["content"] is JsonValue content && content.TryGetValue<string>(out var text) => text,
        _ => throw HfJson.Invalid(path, field, "a string or an object with a \"content\" string"),
    };
}
