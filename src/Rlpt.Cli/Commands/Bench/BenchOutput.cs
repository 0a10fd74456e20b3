using System.Text.Json;
using Rlpt.IO;
using Spectre.Console;

namespace Rlpt.Cli.Commands.Bench;

/// <summary>Prints benchmark figures as a table and optionally writes them as JSON (snake_case keys).</summary>
internal static class BenchOutput
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <param name="results">Top-level entries of the JSON file instead of "results" (the rows; one row alone as an object).</param>
    /// <param name="names">Names of a few results shown side by side as columns, one metric per row (wide results fit a log that way).</param>
    public static void Write<T>(string title, IReadOnlyList<T> rows, string? jsonPath, object? context = null, object? results = null, IReadOnlyList<string>? names = null)
    {
        var elements = rows.Select(r => JsonSerializer.SerializeToElement(r, Json)).ToArray();
        var table = new Table().Title(Markup.Escape(title)).Border(TableBorder.Simple);
        if (elements.Length == 1 || names is not null)
        {
            // One result (or a few named ones) reads best as metric rows, and fits an 80-column log.
            table.AddColumn("metric");
            foreach (var name in names ?? ["value"]) table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
            foreach (var p in elements[0].EnumerateObject())
                table.AddRow([Markup.Escape(p.Name), .. elements.Select(e => Markup.Escape(Format(e.GetProperty(p.Name))))]);
        }
        else
        {
            foreach (var column in elements[0].EnumerateObject()) table.AddColumn(new TableColumn(Markup.Escape(column.Name)).RightAligned());
            foreach (var element in elements)
                table.AddRow(element.EnumerateObject().Select(p => Markup.Escape(Format(p.Value))).ToArray());
        }
        AnsiConsole.Write(table);
        if (jsonPath is null) return;
        var document = new Dictionary<string, object?> { ["machine"] = MachineDescription(), ["context"] = context };
        if (results is null) document["results"] = rows.Count == 1 ? rows[0] : rows;
        else foreach (var entry in JsonSerializer.SerializeToElement(results, Json).EnumerateObject()) document[entry.Name] = entry.Value;
        AtomicFile.WriteAllText(Path.GetFullPath(jsonPath), JsonSerializer.Serialize(document, Json));
    }

    private static string Format(JsonElement value) => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && d != Math.Floor(d)
        ? d.ToString(Math.Abs(d) >= 100 ? "F0" : "G4")
        : value.ToString();

    public static string MachineDescription() =>
        $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, threads {TorchSharp.torch.get_num_threads()}";
}
