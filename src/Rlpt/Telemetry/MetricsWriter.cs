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

    /// <summary>Drops the lines of steps after <paramref name="step"/> (written after the checkpoint a run resumes from).</summary>
    public static void TruncateAfter(string directory, int step)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return;
        var kept = File.ReadLines(path).Where(l => l.Length > 0)
            .Where(l => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(l) is not { } record
                || !record.TryGetValue("step", out var s) || s.GetInt32() <= step)
            .ToArray();
        IO.AtomicFile.WriteAllText(path, kept.Length == 0 ? "" : string.Join("\n", kept) + "\n");
    }

    public void Dispose() => writer.Dispose();
}
