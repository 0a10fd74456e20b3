using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Rlpt.Data.Readers;

/// <summary>
/// A JSON Lines file (optionally gzip-compressed): one document per line, its text in the text field; every other
/// top-level field becomes metadata — strings as they are, numbers and booleans as their JSON text, objects and
/// arrays as compact JSON; nulls are left out, as if the field were absent.
/// </summary>
internal static class JsonLinesReader
{
    public static IEnumerable<Document> Read(InputFile file, Stream stream, ReaderOptions options, ImportReport report)
    {
        var lines = new LineReader(stream, options.MaxDocumentBytes);
        if (BinarySniffer.LooksBinary(lines.Peek(BinarySniffer.SampleBytes)))
        {
            report.Record(ImportProblem.BinaryFile, file.Name, "looks binary");
            yield break;
        }
        var number = 0L;
        while (lines.TryRead(out var line, out var oversized))
        {
            number++;
            var where = $"{file.Name}:{number}";
            if (oversized) report.Record(ImportProblem.Oversized, where, $"line larger than {options.MaxDocumentBytes} bytes");
            else if (line.Span.Trim(" \t"u8).IsEmpty) report.Record(ImportProblem.Empty, where, "empty line");
            else if (Parse(line, where, options.TextField, report) is var (text, metadata))
                yield return new Document(file.Source, where, text, metadata);
        }
    }

    private static (string Text, IReadOnlyDictionary<string, string> Metadata)? Parse(ReadOnlyMemory<byte> line, string where, string textField, ImportReport report)
    {
        var valid = System.Text.Unicode.Utf8.IsValid(line.Span);
        JsonDocument json;
        try
        {
            json = valid ? JsonDocument.Parse(line) : JsonDocument.Parse(Encoding.UTF8.GetString(line.Span));
        }
        catch (JsonException e)
        {
            report.Record(ImportProblem.InvalidJson, where, $"invalid JSON ({e.Message})");
            return null;
        }
        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                report.Record(ImportProblem.InvalidJson, where, $"invalid JSON (a {json.RootElement.ValueKind}, not an object)");
                return null;
            }
            string? text = null;
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var field in json.RootElement.EnumerateObject())
            {
                if (field.NameEquals(textField)) text = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
                else if (field.Value.ValueKind != JsonValueKind.Null) metadata[field.Name] = MetadataValue(field.Value);
            }
            if (text is null) report.Record(ImportProblem.MissingTextField, where, $"no string field \"{textField}\"");
            else if (string.IsNullOrWhiteSpace(text)) report.Record(ImportProblem.Empty, where, $"empty \"{textField}\"");
            else
            {
                if (!valid) report.Record(ImportProblem.RepairedUtf8, where, "invalid UTF-8 replaced by U+FFFD");
                return (text, metadata);
            }
            return null;
        }
    }

    private static string MetadataValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Object or JsonValueKind.Array => Compact(value),
        _ => value.GetRawText(),
    };

    // Metadata is read by people and programs, not embedded in HTML: keep non-ASCII characters as they are.
    private static readonly JsonWriterOptions CompactUnescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Compact(JsonElement value)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, CompactUnescaped)) value.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
