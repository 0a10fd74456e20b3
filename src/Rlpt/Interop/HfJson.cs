using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rlpt.Interop;

/// <summary>Reading the small JSON files of a Hugging Face model folder, with one-line errors naming file and field.</summary>
internal static class HfJson
{
    /// <summary>Indented, and "&lt;|im_start|&gt;" written as it is rather than as \u003C escapes.</summary>
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject ReadObject(string path)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: invalid JSON ({e.Message})", e); }
        return node as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object.");
    }

    public static int? Int(string path, string field, JsonNode? node) =>
        node is null ? null
        : node is JsonValue v && v.TryGetValue<int>(out var i) ? i
        : throw Invalid(path, field, "an integer");

    public static double? Double(string path, string field, JsonNode? node) =>
        node is null ? null
        : node is JsonValue v && v.TryGetValue<double>(out var d) ? d
        : throw Invalid(path, field, "a number");

    public static bool? Bool(string path, string field, JsonNode? node) =>
        node is null ? null
        : node is JsonValue v && v.TryGetValue<bool>(out var b) ? b
        : throw Invalid(path, field, "true or false");

    public static InvalidDataException Invalid(string path, string field, string expected) =>
        new($"{path}: '{field}' must be {expected}.");
}
