using System.Text.Json;

namespace Rlpt.Telemetry;

/// <summary>
/// Appends one JSON object per line to <c>metrics.jsonl</c>, flushed each time so a crash or Ctrl-C loses nothing.
/// Metric names follow TRL/verl conventions (loss, lr, grad_norm, tokens_per_second, ...).
/// </summary>
public sealed class MetricsWriter : IDisposable
{
    public const string FileName = "metrics.jsonl";
    private readonly StreamWriter writer;

    public MetricsWriter(string directory, bool append)
    {
        Directory.CreateDirectory(directory);
        writer = new StreamWriter(new FileStream(Path.Combine(directory, FileName), append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read));
    }

    /// <summary>Writes one line; a non-finite number (e.g. the entropy of a step that trained on no group) is written as null.</summary>
    public void Write(IReadOnlyDictionary<string, object> metrics)
    {
        var finite = metrics.ToDictionary(kv => kv.Key, kv => kv.Value is double d && !double.IsFinite(d) ? null : kv.Value);
        writer.WriteLine(JsonSerializer.Serialize(finite));
        writer.Flush();
    }

    /// <summary>Reads a metrics file back (for reports and tests).</summary>
    public static IReadOnlyList<Dictionary<string, JsonElement>> Read(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(l)!)
            .ToArray();

    /// <summary>The per-step logs a run appends to (metrics, and GRPO's sampled completions), repaired together on resume.</summary>
    public static readonly string[] StepLogs = [FileName, CompletionsFileName];

    /// <summary>GRPO's table of sampled completions (TRL's completions table), one JSON object per completion.</summary>
    public const string CompletionsFileName = "completions.jsonl";

    /// <summary>
    /// Repairs a run's step logs for resuming from <paramref name="step"/>: drops the lines of later steps (written
    /// after the checkpoint, so they are about to be redone and must not appear twice) and any line that is not a
    /// whole JSON object (a write torn by a crash or kill -9), so every step appears once and every line parses.
    /// </summary>
    public static void TruncateAfter(string directory, int step)
    {
        foreach (var name in StepLogs)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) continue;
            var kept = File.ReadLines(path).Where(l => Keep(l, step)).ToArray();
            IO.AtomicFile.WriteAllText(path, kept.Length == 0 ? "" : string.Join("\n", kept) + "\n");
        }
    }

    private static bool Keep(string line, int step)
    {
        if (line.Length == 0) return false;
        try
        {
            using var record = JsonDocument.Parse(line);
            return record.RootElement.ValueKind == JsonValueKind.Object
                && (!record.RootElement.TryGetProperty("step", out var s) || (s.TryGetInt32(out int at) && at <= step));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public void Dispose() => writer.Dispose();
}
