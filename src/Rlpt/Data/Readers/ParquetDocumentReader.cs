using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Rlpt.Data.Readers;

/// <summary>
/// A Parquet file, one row group in memory at a time: one document per row, its text in the text column (string or
/// UTF-8 binary); every other top-level scalar column becomes metadata (invariant-culture text; nulls left out).
/// Nested and binary columns are not metadata. Names are "file:row" with the row counted from 0 across the file.
/// </summary>
internal static class ParquetDocumentReader
{
    public static IEnumerable<Document> Read(InputFile file, ReaderOptions options, ImportReport report)
    {
        using var stream = File.OpenRead(file.Path);
        var reader = ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult();
        try
        {
            foreach (var document in Read(file, reader, options, report)) yield return document;
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static IEnumerable<Document> Read(InputFile file, ParquetReader reader, ReaderOptions options, ImportReport report)
    {
        var columns = reader.Schema.Fields.OfType<DataField>().Where(f => !f.IsArray).ToList();
        var textColumn = columns.Find(f => f.Name == options.TextField && (IsString(f) || IsBinary(f)));
        if (textColumn is null)
        {
            report.Record(ImportProblem.MissingTextField, file.Name, $"no string column \"{options.TextField}\"");
            yield break;
        }
        var metadataColumns = columns.Where(f => f != textColumn && !IsBinary(f)).ToList();
        var row = 0L;
        for (var group = 0; group < reader.RowGroupCount; group++)
        {
            using var rowGroup = reader.OpenRowGroupReader(group);
            var count = checked((int)rowGroup.RowCount);
            var texts = ReadText(rowGroup, textColumn, count, out var repaired);
            var metadata = metadataColumns.Select(c => (c.Name, Values: ReadAsStrings(rowGroup, c, count))).ToList();
            for (var i = 0; i < count; i++, row++)
            {
                var where = $"{file.Name}:{row}";
                var text = texts[i];
                if (text is null) report.Record(ImportProblem.MissingTextField, where, $"null \"{options.TextField}\"");
                // A UTF-16 character is at most 3 UTF-8 bytes, so only long texts need counting.
                else if (text.Length > options.MaxDocumentBytes / 3 && System.Text.Encoding.UTF8.GetByteCount(text) > options.MaxDocumentBytes)
                    report.Record(ImportProblem.Oversized, where, $"text larger than {options.MaxDocumentBytes} bytes");
                else if (string.IsNullOrWhiteSpace(text)) report.Record(ImportProblem.Empty, where, $"empty \"{options.TextField}\"");
                else
                {
                    if (repaired[i]) report.Record(ImportProblem.RepairedUtf8, where, "invalid UTF-8 replaced by U+FFFD");
                    var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                    foreach (var (name, values) in metadata)
                        if (values[i] is { } value) fields[name] = value;
                    yield return new Document(file.Source, where, text, fields);
                }
            }
        }
    }

    private static string?[] ReadText(ParquetRowGroupReader rowGroup, DataField column, int count, out bool[] repaired)
    {
        var texts = new string?[count];
        repaired = new bool[count];
        if (IsString(column)) Wait(rowGroup.ReadAsync(column, texts.AsMemory()));
        else
        {
            var bytes = new byte[]?[count];
            Wait(rowGroup.ReadAsync(column, bytes.AsMemory()));
            for (var i = 0; i < count; i++)
                if (bytes[i] is { } value) texts[i] = Utf8Text.Decode(value, out repaired[i]);
        }
        return texts;
    }

    private static string?[] ReadAsStrings(ParquetRowGroupReader rowGroup, DataField column, int count)
    {
        if (IsString(column))
        {
            var strings = new string?[count];
            Wait(rowGroup.ReadAsync(column, strings.AsMemory()));
            return strings;
        }
        return column.ClrType switch
        {
            var t when t == typeof(bool) => Format<bool>(rowGroup, column, count),
            var t when t == typeof(sbyte) => Format<sbyte>(rowGroup, column, count),
            var t when t == typeof(byte) => Format<byte>(rowGroup, column, count),
            var t when t == typeof(short) => Format<short>(rowGroup, column, count),
            var t when t == typeof(ushort) => Format<ushort>(rowGroup, column, count),
            var t when t == typeof(int) => Format<int>(rowGroup, column, count),
            var t when t == typeof(uint) => Format<uint>(rowGroup, column, count),
            var t when t == typeof(long) => Format<long>(rowGroup, column, count),
            var t when t == typeof(ulong) => Format<ulong>(rowGroup, column, count),
            var t when t == typeof(float) => Format<float>(rowGroup, column, count),
            var t when t == typeof(double) => Format<double>(rowGroup, column, count),
            var t when t == typeof(decimal) => Format<decimal>(rowGroup, column, count),
            var t when t == typeof(DateTime) => Format<DateTime>(rowGroup, column, count),
            var t when t == typeof(DateOnly) => Format<DateOnly>(rowGroup, column, count),
            var t when t == typeof(TimeSpan) => Format<TimeSpan>(rowGroup, column, count),
            var t when t == typeof(Guid) => Format<Guid>(rowGroup, column, count),
            _ => new string?[count],
        };
    }

    private static string?[] Format<T>(ParquetRowGroupReader rowGroup, DataField column, int count) where T : struct
    {
        var values = new T?[count];
        Wait(rowGroup.ReadAsync<T>(column, values.AsMemory()));
        return [.. values.Select(v => v is { } value ? Text(value) : null)];
    }

    // Parquet.Net reports UTF-8 and binary columns as memory types; either is read into strings / byte arrays.
    private static bool IsString(DataField column) => column.ClrType == typeof(string) || column.ClrType == typeof(ReadOnlyMemory<char>);

    private static bool IsBinary(DataField column) => column.ClrType == typeof(byte[]) || column.ClrType == typeof(ReadOnlyMemory<byte>);

    // Written as JSON would: "true"/"false", round-trippable numbers, ISO 8601 times.
    private static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    // Parquet.Net is async only; the reader streams synchronously, and there is no synchronization context to deadlock on.
    private static void Wait(ValueTask task) => task.AsTask().GetAwaiter().GetResult();
}
