using System.ComponentModel;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Infrastructure;

/// <summary>Options every computing command takes.</summary>
public class CommonSettings : CommandSettings
{
    [CommandOption("--out <DIR>")]
    [Description("Run directory: resolved config, metrics.jsonl, log and artifacts are written here.")]
    public string? Out { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("JSON file of options (same names as the flags, with underscores); flags override it.")]
    public string? Config { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("cpu or cuda (cuda needs the CUDA backend build; see README). Default: cpu.")]
    [DefaultValue("cpu")]
    public string Device { get; init; } = "cpu";

    [CommandOption("--threads <N>")]
    [Description("CPU threads for LibTorch; 0 = all cores. Default: 0.")]
    [DefaultValue(0)]
    public int Threads { get; init; }

    [CommandOption("-q|--quiet")]
    [Description("No progress display; only results and errors (for scripts).")]
    public bool Quiet { get; init; }

    [CommandOption("-v|--verbose")]
    [Description("Show error details (stack traces) and debug logging.")]
    public bool Verbose { get; init; }
}
