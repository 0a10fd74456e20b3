using System.ComponentModel;
using Rlpt.Telemetry;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Infrastructure;

/// <summary>Options of the commands that run the training loop (pretrain, sft, train, dpo).</summary>
public class TrainingSettings : CommonSettings
{
    [CommandOption("--resume")]
    [Description("Continue exactly from the latest checkpoint in --out.")]
    public bool Resume { get; init; }

    [CommandOption("--save-total-limit <N>")]
    [Description("Checkpoints kept in --out/checkpoints (the newest); at least 1. Default: 2.")]
    public int? SaveTotalLimit { get; init; }

    [CommandOption("--report-to <TARGET>")]
    [Description("Also log metrics for another tool: none or tensorboard (event files in --out/tensorboard; metrics.jsonl is always written). Default: none.")]
    [DefaultValue("none")]
    public string ReportTo { get; init; } = "none";

    /// <summary>Refused on parsing, before any data or model is loaded.</summary>
    public override Spectre.Console.ValidationResult Validate()
    {
        try
        {
            TensorBoardWriter.ValidateTarget(ReportTo);
        }
        catch (ArgumentException e)
        {
            return Spectre.Console.ValidationResult.Error(e.Message);
        }
        return base.Validate();
    }
}
