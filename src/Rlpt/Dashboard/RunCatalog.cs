using System.Text.Json;
using Rlpt.Telemetry;

namespace Rlpt.Dashboard;

/// <summary>One run folder as the dashboard lists it.</summary>
public sealed record RunEntry(string Id, string Command, DateTime Modified, bool HasMetrics, bool HasCompletions, IReadOnlyList<string> Files);

/// <summary>
/// The runs under a root folder: every folder (up to <see cref="MaxDepth"/> deep) that holds a run's files —
/// metrics.jsonl, run_config.json, eval.json or report.json — whichever command wrote it (pretrain, sft, train, eval,
/// demo and its stages, icrl, offline). Checkpoint and model folders are not descended into. A run's id is its path
/// relative to the root with '/' separators; <see cref="Resolve"/> maps an id back to a folder and refuses anything
/// outside the root (.., absolute paths, symbolic links that lead out).
/// </summary>
public sealed class RunCatalog(string root)
{
    public const int MaxDepth = 5;
    private static readonly string[] Markers = [MetricsWriter.FileName, "run_config.json", "eval.json", "report.json"];
    private static readonly string[] Skipped = ["checkpoints", "model", "node_modules", ".git"];
    /// <summary>The files of a run the page may fetch: plots, reports and result JSON.</summary>
    public static readonly string[] ServedExtensions = [".png", ".svg", ".md", ".json"];

    public string Root { get; } = Path.GetFullPath(root);

    public IReadOnlyList<RunEntry> List()
    {
        var runs = new List<RunEntry>();
        if (Directory.Exists(Root)) Visit(new DirectoryInfo(Root), 0, runs);
        return runs.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();
    }

    private void Visit(DirectoryInfo directory, int depth, List<RunEntry> runs)
    {
        if (Markers.Any(m => File.Exists(Path.Combine(directory.FullName, m)))) runs.Add(Entry(directory));
        if (depth == MaxDepth) return;
        IEnumerable<DirectoryInfo> children;
        try { children = directory.EnumerateDirectories().Where(d => d.LinkTarget is null && !Skipped.Contains(d.Name)).ToArray(); }
        catch (IOException) { return; }
        catch (UnauthorizedAccessException) { return; }
        foreach (var child in children.OrderBy(d => d.Name, StringComparer.Ordinal)) Visit(child, depth + 1, runs);
    }

    private RunEntry Entry(DirectoryInfo directory)
    {
        string id = Path.GetRelativePath(Root, directory.FullName).Replace(Path.DirectorySeparatorChar, '/');
        var files = directory.EnumerateFiles().Where(f => ServedExtensions.Contains(f.Extension) && f.LinkTarget is null).ToArray();
        var modified = files.Select(f => f.LastWriteTimeUtc).Concat(directory.EnumerateFiles("*.jsonl").Select(f => f.LastWriteTimeUtc)).DefaultIfEmpty(directory.LastWriteTimeUtc).Max();
        return new RunEntry(id == "." ? "" : id, CommandOf(directory.FullName), modified,
            File.Exists(Path.Combine(directory.FullName, MetricsWriter.FileName)), File.Exists(Path.Combine(directory.FullName, MetricsWriter.CompletionsFileName)),
            files.Select(f => f.Name).Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>run_config.json's "command" (or its stage's name), for the list; empty when there is none.</summary>
    private static string CommandOf(string directory)
    {
        try
        {
            string path = Path.Combine(directory, "run_config.json");
            if (!File.Exists(path)) return "";
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("command", out var command) && command.ValueKind == JsonValueKind.String
                ? command.GetString()! : "";
        }
        catch (Exception e) when (e is IOException or JsonException) { return ""; }
    }

    /// <summary>The folder of a listed run, or null for an id that is not one (or leads outside the root).</summary>
    public string? Resolve(string? id)
    {
        if (id is null || id.Contains('\\') || id.Contains('\0') || Path.IsPathRooted(id) || id.Split('/').Any(part => part is ".." or "."))
            return null;
        string directory = Path.GetFullPath(Path.Combine(Root, id));
        if (!IsInside(directory) || !Directory.Exists(directory)) return null;
        // A symbolic link anywhere on the way could lead out of the root.
        for (var d = new DirectoryInfo(directory); d is not null && d.FullName.Length > Root.Length; d = d.Parent)
            if (d.LinkTarget is not null) return null;
        return Markers.Any(m => File.Exists(Path.Combine(directory, m))) ? directory : null;
    }

    /// <summary>A file directly in a run's folder with a served extension, not a link; null otherwise.</summary>
    public string? ResolveFile(string? id, string? name)
    {
        var directory = Resolve(id);
        if (directory is null || string.IsNullOrEmpty(name) || name.IndexOfAny(['/', '\\', '\0']) >= 0 || name is "." or "..") return null;
        var file = new FileInfo(Path.Combine(directory, name));
        return file.Exists && file.LinkTarget is null && ServedExtensions.Contains(file.Extension) ? file.FullName : null;
    }

    private bool IsInside(string path) => path == Root || path.StartsWith(Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
