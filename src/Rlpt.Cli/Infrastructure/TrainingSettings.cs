using System.ComponentModel;
using Rlpt.Telemetry;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Infrastructure;

/// <summary>Options of the commands that run the training loop (pretrain, sft, train).</summary>
public class TrainingSettings : CommonSettings
{
    [CommandOption("--resume")]
    [Description("Continue exactly from the latest checkpoint in --out.")]
    public bool Resume { get; init; }

    [CommandOption("--report-to <TARGET>")]
    [Description("Also log metrics for another tool: none or tensorboard (event files in --out/tensorboard; metrics.jsonl is always written). Default: none.")]
    [DefaultValue("none")]
    public string ReportTo { get; init; } = "none";

    public override Spectre.Console.ValidationResult Validate()
    {
        if (!TensorBoardWriter.Targets.Contains(ReportTo))
            return Spectre.Console.ValidationResult.Error($"--report-to must be one of {string.Join(", ", TensorBoardWriter.Targets)} (got '{ReportTo}').");
        return base.Validate();
    }
}
