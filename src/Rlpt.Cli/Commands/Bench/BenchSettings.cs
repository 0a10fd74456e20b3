using System.ComponentModel;
using Rlpt.Cli.Infrastructure;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

public class BenchSettings : CommonSettings
{
    [CommandOption("--preset <NAME>")]
    [Description("Model shape: tiny, small, gpt2-124m. Default: small.")]
    [DefaultValue("small")]
    public string Preset { get; init; } = "small";

    [CommandOption("--json <FILE>")]
    [Description("Also write the figures as JSON.")]
    public string? Json { get; init; }
}
