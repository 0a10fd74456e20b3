using System.Text.Json;
using Rlpt.IO;
using Spectre.Console;

namespace Rlpt.Cli.Infrastructure;

/// <summary>A command's --out folder: the resolved config, a timestamped log, and whatever the command produces.</summary>
public sealed class RunDirectory
{
    public const string ConfigFileName = "run_config.json";
    public const string LogFileName = "log.txt";
    private readonly bool quiet;

    public string Path { get; }

    public RunDirectory(string path, bool quiet)
    {
        Path = System.IO.Path.GetFullPath(path);
        this.quiet = quiet;
        Directory.CreateDirectory(Path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void WriteConfig(object resolved) => WriteJson(ConfigFileName, resolved);

    /// <summary>Writes an indented JSON file into the folder, atomically.</summary>
    public void WriteJson(string name, object value) =>
        AtomicFile.WriteAllText(File(name), JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>Writes to the log file, and to the terminal unless --quiet.</summary>
    public void Log(string message)
    {
        System.IO.File.AppendAllText(File(LogFileName), $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {message}\n");
        if (!quiet) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]");
    }
}
