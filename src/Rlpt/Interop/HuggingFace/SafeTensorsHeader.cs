using System.Text.Json;

namespace Rlpt.Interop.HuggingFace;

/// <summary>Builds and validates the JSON header of a safetensors file.</summary>
internal static class SafeTensorsHeader
{
    public const string MetadataKey = "__metadata__";

    /// <summary>Headers beyond this are certainly corrupt; the reference implementation uses the same bound.</summary>
    public const long MaxLength = 100_000_000;

    /// <summary>Serialises the header and pads it with spaces so the data section starts 8-byte aligned.</summary>
    public static byte[] Build(IReadOnlyList<SafeTensorInfo> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
                json.WriteEndObject();
            }
            foreach (var t in tensors)
            {
                json.WriteStartObject(t.Name);
                json.WriteString("dtype", t.DType);
                json.WriteStartArray("shape");
                foreach (var d in t.Shape)
                    json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(t.DataBegin);
                json.WriteNumberValue(t.DataEnd);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        var padded = (buffer.Length + 7) / 8 * 8;
        while (buffer.Length < padded)
            buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    /// <summary>
    /// Parses the header and checks that the tensors tile the <paramref name="dataLength"/>-byte data section
    /// exactly, in some order, without gaps or overlaps. Returns tensors in data order.
    /// </summary>
    public static (List<SafeTensorInfo> Tensors, Dictionary<string, string> Metadata) Parse(string path, byte[] header, long dataLength)
    {
        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw Invalid(path, "header is not valid UTF-8");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Invalid(path, $"header is not valid JSON ({e.Message})");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Invalid(path, "header is not a JSON object");

            var tensors = new List<SafeTensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Invalid(path, $"header lists '{property.Name}' twice");
                if (property.Name == MetadataKey)
                    ReadMetadata(path, property.Value, metadata);
                else
                    tensors.Add(ReadTensor(path, property.Name, property.Value, dataLength));
            }

            tensors.Sort((a, b) => a.DataBegin != b.DataBegin ? a.DataBegin.CompareTo(b.DataBegin) : a.DataEnd.CompareTo(b.DataEnd));
            long expected = 0;
            foreach (var t in tensors)
            {
                if (t.DataBegin != expected)
                    throw Invalid(path, $"tensor '{t.Name}' starts at byte {t.DataBegin} but the previous tensor ends at byte {expected} (data_offsets overlap or leave a gap)");
                expected = t.DataEnd;
            }
            if (expected != dataLength)
                throw Invalid(path, $"tensors cover {expected} bytes but the data section holds {dataLength} bytes");
            return (tensors, metadata);
        }
    }

    public static InvalidDataException Invalid(string path, string problem) =>
        new($"Invalid safetensors file '{path}': {problem}.");

    private static void ReadMetadata(string path, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Invalid(path, $"'{MetadataKey}' is not a JSON object");
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw Invalid(path, $"metadata value for '{entry.Name}' is not a string");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw Invalid(path, $"metadata lists '{entry.Name}' twice");
        }
    }

    private static SafeTensorInfo ReadTensor(string path, string name, JsonElement element, long dataLength)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Invalid(path, $"entry for tensor '{name}' is not a JSON object");

        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Invalid(path, $"tensor '{name}' has no string 'dtype'");
        var dtype = dtypeElement.GetString()!;
        if (!SafeTensorsDType.TryParse(dtype, out var scalarType, out var elementSize))
            throw Invalid(path, $"tensor '{name}' has unknown or unsupported dtype '{dtype}'");

        var shape = ReadLongArray(path, name, element, "shape");
        var offsets = ReadLongArray(path, name, element, "data_offsets");
        if (offsets.Length != 2)
            throw Invalid(path, $"tensor '{name}' has {offsets.Length} data_offsets instead of 2");
        var (begin, end) = (offsets[0], offsets[1]);
        if (end < begin || end > dataLength)
            throw Invalid(path, $"tensor '{name}' has data_offsets [{begin}, {end}] outside the {dataLength}-byte data section");

        long needed;
        try
        {
            needed = checked(shape.Aggregate(1L, (n, d) => n * d) * elementSize);
        }
        catch (OverflowException)
        {
            throw Invalid(path, $"tensor '{name}' has a shape whose size overflows");
        }
        if (end - begin != needed)
            throw Invalid(path, $"tensor '{name}' spans {end - begin} bytes but {dtype} shape [{string.Join(", ", shape)}] needs {needed}");

        return new SafeTensorInfo(name, dtype, scalarType, shape, begin, end);
    }

    private static long[] ReadLongArray(string path, string name, JsonElement element, string key)
    {
        if (!element.TryGetProperty(key, out var array) || array.ValueKind != JsonValueKind.Array)
            throw Invalid(path, $"tensor '{name}' has no '{key}' array");
        var values = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0)
                throw Invalid(path, $"tensor '{name}' has a '{key}' entry that is not a non-negative integer");
            values[i++] = value;
        }
        return values;
    }
}
