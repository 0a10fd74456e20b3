using System.Text.Json;
using Rlpt.Demo;

namespace Rlpt.Tests.Cli;

public sealed class DemoCommandTests
{
    [Fact]
    public void QuickDemoRunsEndToEndAndReusesItsStages()
    {
        using var dir = new TestDirectory();
        var first = CliRunner.Run(dir.Path, "demo", "--quick", "--out", "demo", "-q");
        Assert.True(first.ExitCode == 0, first.Stderr);
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "demo", "report.json"))).RootElement;
        Assert.True(report.GetProperty("pretrain").GetProperty("val_loss").GetDouble() < Math.Log(4096), "pretraining should beat a uniform guess");
        Assert.Equal(["cold-start", "rlpt", "control"], report.GetProperty("evaluations").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        foreach (var file in new[] { "report.md", "pretrain_loss.png", "rlpt_reward.png", "comparison.png", "samples.jsonl", "run_config.json",
            "pretrain/model/model.safetensors", "sft/model/model.safetensors", "rlpt/model/model.safetensors", "rlpt/metrics.jsonl",
            "control/model/model.safetensors", "eval/rlpt/eval.json", "eval/control/eval.md" })
            Assert.True(File.Exists(Path.Combine(dir.Path, "demo", file)), file);
        var modelTime = File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "demo", "pretrain", "model", "model.safetensors"));

        var second = CliRunner.Run(dir.Path, "demo", "--quick", "--out", "demo", "-q");
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal(modelTime, File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "demo", "pretrain", "model", "model.safetensors")));

        // A changed RL option redoes RLPT and what follows it (control, evaluations), and reuses the stages before it.
        var evaluationTime = File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "demo", "eval", "rlpt", "eval.json"));
        var changed = DemoOptions.Quick with { Grpo = DemoOptions.Quick.Grpo with { MaxSteps = 2 } };
        File.WriteAllText(Path.Combine(dir.Path, "demo.json"), JsonSerializer.Serialize(changed));
        var third = CliRunner.Run(dir.Path, "demo", "--config", "demo.json", "--out", "demo", "-q");
        Assert.True(third.ExitCode == 0, third.Stderr);
        Assert.Equal(modelTime, File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "demo", "pretrain", "model", "model.safetensors")));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(dir.Path, "demo", "rlpt", "metrics.jsonl")).Length);
        Assert.True(File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "demo", "eval", "rlpt", "eval.json")) > evaluationTime, "the RLPT evaluation should be redone");
    }
}
