using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rlpt.Tokenization;

/// <summary>Reads and writes Hugging Face tokenizer.json files of byte-level BPE models.</summary>
internal static class TokenizerJson
{
    /// <summary>Splits nothing: the whole text between special tokens is one word.</summary>
    private const string WholeTextPattern = @"[\s\S]+";

    public static TokenizerDefinition Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Tokenizer file not found: {path}", path);
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            try
            {
                return Parse(document.RootElement);
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // GetProperty/GetString/GetInt32 throw these on missing fields or wrong JSON kinds.
                throw new InvalidDataException($"{path} is not a valid tokenizer.json: {e.Message}", e);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }
        }
    }

    /// <summary>Ids beyond this are certainly corrupt (real vocabularies hold a few hundred thousand tokens).</summary>
    internal const int MaxTokenId = 1 << 24;

    private static TokenizerDefinition Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException("tokenizer.json must hold a JSON object.");
        var model = root.GetProperty("model");
        string? type = OptionalString(model, "type") ?? (model.TryGetProperty("merges", out _) ? "BPE" : null);
        if (type != "BPE")
            throw Unsupported($"model type '{type ?? "(none)"}'; only byte-level BPE is supported");
        if (OptionalBool(model, "byte_fallback"))
            throw Unsupported("BPE with byte_fallback (SentencePiece-style); only byte-level BPE is supported");
        foreach (string affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (!string.IsNullOrEmpty(OptionalString(model, affix)))
                throw Unsupported($"BPE with {affix}");
        }

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in model.GetProperty("vocab").EnumerateObject())
        {
            int id = entry.Value.GetInt32();
            if (id is < 0 or >= MaxTokenId) throw new InvalidDataException($"token '{entry.Name}' has id {id}, outside 0..{MaxTokenId - 1}");
            vocabulary[entry.Name] = id;
        }
        var merges = model.GetProperty("merges").EnumerateArray().Select(ParseMerge).ToList();
        // As Hugging Face's BPE: both halves of a merge, and what they merge into, are tokens of the vocabulary.
        foreach (var (left, right) in merges)
            foreach (var piece in new[] { left, right, left + right })
                if (!vocabulary.ContainsKey(piece)) throw new InvalidDataException($"merge '{left} {right}' needs '{piece}', which is not in the vocabulary");
        var added = root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind == JsonValueKind.Array
            ? addedTokens.EnumerateArray().Select(t => new AddedToken(t.GetProperty("id").GetInt32(), t.GetProperty("content").GetString()!, OptionalBool(t, "special"))).ToList()
            : [];

        return new TokenizerDefinition(vocabulary, merges, added, ParsePreTokenizer(root), OptionalBool(model, "ignore_merges"), ParseNormalizer(root));
    }

    private static (string, string) ParseMerge(JsonElement merge)
    {
        if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
            return (merge[0].GetString()!, merge[1].GetString()!);
        var parts = merge.GetString()!.Split(' ');
        return parts.Length == 2 ? (parts[0], parts[1]) : throw new InvalidDataException($"merge '{merge}' is not two tokens.");
    }

    /// <summary>The one regex the pre-tokenizer splits with: a Split step's, or GPT-2's for ByteLevel with use_regex.</summary>
    private static string ParsePreTokenizer(JsonElement root)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var preTokenizer) || preTokenizer.ValueKind != JsonValueKind.Object)
            throw Unsupported("tokenizer without a ByteLevel pre-tokenizer (not byte-level BPE)");
        var steps = OptionalString(preTokenizer, "type") == "Sequence"
            ? preTokenizer.GetProperty("pretokenizers").EnumerateArray().ToList()
            : [preTokenizer];

        var patterns = new List<string>();
        bool byteLevel = false;
        foreach (var step in steps)
        {
            switch (OptionalString(step, "type"))
            {
                case "Split":
                    if (OptionalString(step, "behavior") != "Isolated" || OptionalBool(step, "invert"))
                        throw Unsupported("Split pre-tokenizer other than behavior Isolated without invert");
                    var pattern = step.GetProperty("pattern");
                    patterns.Add(OptionalString(pattern, "Regex") ?? System.Text.RegularExpressions.Regex.Escape(pattern.GetProperty("String").GetString()!));
                    break;
                case "ByteLevel":
                    if (OptionalBool(step, "add_prefix_space"))
                        throw Unsupported("ByteLevel pre-tokenizer with add_prefix_space");
                    if (!step.TryGetProperty("use_regex", out var useRegex) || useRegex.GetBoolean())
                        patterns.Add(PreTokenizerPatterns.Gpt2);
                    byteLevel = true;
                    break;
                case var other:
                    throw Unsupported($"pre-tokenizer '{other}'");
            }
        }
        if (!byteLevel)
            throw Unsupported("tokenizer without a ByteLevel pre-tokenizer (not byte-level BPE)");
        return patterns.Count switch
        {
            0 => WholeTextPattern,
            1 => patterns[0],
            _ => throw Unsupported("more than one regex pre-tokenization step"),
        };
    }

    /// <summary>True for an NFC normalizer (alone or in a Sequence); false for none.</summary>
    private static bool ParseNormalizer(JsonElement root)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null)
            return false;
        var steps = OptionalString(normalizer, "type") == "Sequence"
            ? normalizer.GetProperty("normalizers").EnumerateArray().ToList()
            : [normalizer];
        foreach (var step in steps)
        {
            if (OptionalString(step, "type") is var type && type != "NFC")
                throw Unsupported($"normalizer '{type}'");
        }
        return steps.Count > 0;
    }

    public static void Write(string path, TokenizerDefinition definition)
    {
        string fullPath = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = File.Create(temporary))
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                WriteDefinition(writer, definition);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void WriteDefinition(Utf8JsonWriter writer, TokenizerDefinition definition)
    {
        writer.WriteStartObject();
        writer.WriteString("version", "1.0");
        writer.WriteNull("truncation");
        writer.WriteNull("padding");
        writer.WriteStartArray("added_tokens");
        foreach (var token in definition.AddedTokens.OrderBy(t => t.Id))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", token.Id);
            writer.WriteString("content", token.Content);
            writer.WriteBoolean("single_word", false);
            writer.WriteBoolean("lstrip", false);
            writer.WriteBoolean("rstrip", false);
            writer.WriteBoolean("normalized", false);
            writer.WriteBoolean("special", token.Special);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();

        if (definition.NfcNormalize)
        {
            writer.WriteStartObject("normalizer");
            writer.WriteString("type", "NFC");
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("normalizer");
        }

        writer.WriteStartObject("pre_tokenizer");
        writer.WriteString("type", "Sequence");
        writer.WriteStartArray("pretokenizers");
        writer.WriteStartObject();
        writer.WriteString("type", "Split");
        writer.WriteStartObject("pattern");
        writer.WriteString("Regex", definition.PreTokenizerPattern);
        writer.WriteEndObject();
        writer.WriteString("behavior", "Isolated");
        writer.WriteBoolean("invert", false);
        writer.WriteEndObject();
        WriteByteLevel(writer, null);
        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteNull("post_processor");
        WriteByteLevel(writer, "decoder");

        writer.WriteStartObject("model");
        writer.WriteString("type", "BPE");
        writer.WriteNull("dropout");
        writer.WriteNull("unk_token");
        writer.WriteNull("continuing_subword_prefix");
        writer.WriteNull("end_of_word_suffix");
        writer.WriteBoolean("fuse_unk", false);
        writer.WriteBoolean("byte_fallback", false);
        writer.WriteBoolean("ignore_merges", definition.IgnoreMerges);
        writer.WriteStartObject("vocab");
        foreach (var (token, id) in definition.Vocabulary.OrderBy(p => p.Value))
            writer.WriteNumber(token, id);
        writer.WriteEndObject();
        writer.WriteStartArray("merges");
        foreach (var (left, right) in definition.Merges)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(left);
            writer.WriteStringValue(right);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteByteLevel(Utf8JsonWriter writer, string? propertyName)
    {
        if (propertyName is null)
            writer.WriteStartObject();
        else
            writer.WriteStartObject(propertyName);
        writer.WriteString("type", "ByteLevel");
        writer.WriteBoolean("add_prefix_space", false);
        writer.WriteBoolean("trim_offsets", true);
        writer.WriteBoolean("use_regex", false);
        writer.WriteEndObject();
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool OptionalBool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static InvalidDataException Unsupported(string what) => new($"Unsupported tokenizer: {what}.");
}
