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

        // Every objective's own evaluation runs on the demo's checkpoints, side by side, with paired differences.
        var eval = CliRunner.Run(dir.Path, "eval", "--model", "cold=demo/sft/model", "--model", "rl=demo/rlpt/model", "--data", "demo/data",
            "--objective", "rlpt", "--objective", "rlp", "--objective", "empo", "--objective", "rlvr", "--tasks", "2", "--max-new-tokens", "4",
            "--perplexity-windows", "0", "--arithmetic-levels", "0", "--rlp-context-tokens", "32", "--out", "eval", "-q");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var evaluated = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "eval", "rl", "eval.json"))).RootElement;
        Assert.Equal(["rlp", "empo", "rlvr"], evaluated.GetProperty("objectives").EnumerateArray().Select(o => o.GetProperty("objective").GetString()));
        Assert.Equal(2, evaluated.GetProperty("next_segment").GetProperty("tasks").GetArrayLength());
        var comparison = File.ReadAllText(Path.Combine(dir.Path, "eval", "comparison.md"));
        Assert.Contains("| rl | rlp/information_gain |", comparison);
        Assert.Contains("| rl | empo/majority_correct |", comparison);
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "eval", "--model", "demo/sft/model", "--data", "demo/data", "--objective", "nope", "--out", "eval2"), "unknown objective 'nope'");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "train", "--objective", "empo", "--model", "demo/sft/model", "--data", "demo/data", "--source", "sea", "--out", "t"), "source 'sea' is not a source");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "train", "--model", "demo/sft/model", "--out", "t2"), "the rlpt objective draws its prompts from a dataset: give --data");
        // RLVR generates its problems: no dataset needed.
        var rlvr = CliRunner.Run(dir.Path, "train", "--objective", "rlvr", "--model", "demo/pretrain/model", "--max-steps", "1", "--num-generations", "2", "--prompts-per-step", "1",
            "--max-completion-length", "4", "--save-every", "0", "--out", "rlvr", "-q");
        Assert.True(rlvr.ExitCode == 0, rlvr.Stderr);
        // PretrainZero from the CLI: its cold start, one step of both roles, its evaluation.
        var pzSft = CliRunner.Run(dir.Path, "sft", "--task", "pretrainzero", "--model", "demo/pretrain/model", "--data", "demo/data", "--examples", "8",
            "--context-tokens", "48", "--max-length", "160", "--out", "pz-sft", "-q");
        Assert.True(pzSft.ExitCode == 0, pzSft.Stderr);
        var pz = CliRunner.Run(dir.Path, "train", "--objective", "pretrainzero", "--model", "pz-sft/model", "--data", "demo/data", "--context-tokens", "48",
            "--max-steps", "1", "--num-generations", "2", "--prompts-per-step", "2", "--max-completion-length", "8", "--pz-answer-tokens", "4", "--save-every", "0", "--out", "pz", "-q");
        Assert.True(pz.ExitCode == 0, pz.Stderr);
        Assert.Contains("\"pz/mask_valid_rate\"", File.ReadAllText(Path.Combine(dir.Path, "pz", "metrics.jsonl")));
        var pzEval = CliRunner.Run(dir.Path, "eval", "--model", "pz=pz/model", "--data", "demo/data", "--objective", "pretrainzero", "--context-tokens", "48", "--tasks", "2",
            "--max-new-tokens", "4", "--perplexity-windows", "0", "--arithmetic-levels", "0", "--out", "pz-eval", "-q");
        Assert.True(pzEval.ExitCode == 0, pzEval.Stderr);
        Assert.Contains("span_accuracy", File.ReadAllText(Directory.GetFiles(Path.Combine(dir.Path, "pz-eval"), "eval.md", SearchOption.AllDirectories).Single()));
        // DPO on on-policy pairs from an objective's reward (RLP's information gain: real-valued, so samples always differ),
        // written to pairs.jsonl; then on that file as a user's own pairs.
        var dpo = CliRunner.Run(dir.Path, "dpo", "--model", "demo/pretrain/model", "--objective", "rlp", "--data", "demo/data", "--rlp-context-tokens", "32",
            "--pair-prompts", "4", "--num-generations", "3", "--max-completion-length", "6", "--batch-size", "2", "--save-every", "0", "--out", "dpo", "-q");
        Assert.True(dpo.ExitCode == 0, dpo.Stderr);
        var pairs = File.ReadAllLines(Path.Combine(dir.Path, "dpo", "pairs.jsonl"));
        Assert.NotEmpty(pairs);
        Assert.Contains("\"rewards/accuracies\"", File.ReadAllText(Path.Combine(dir.Path, "dpo", "metrics.jsonl")));
        var fromFile = CliRunner.Run(dir.Path, "dpo", "--model", "demo/pretrain/model", "--pairs", "dpo/pairs.jsonl", "--loss-type", "ipo", "--save-every", "0", "--out", "dpo-file", "-q");
        Assert.True(fromFile.ExitCode == 0, fromFile.Stderr);
        Assert.Equal((pairs.Length + 7) / 8, File.ReadAllLines(Path.Combine(dir.Path, "dpo-file", "metrics.jsonl")).Length);
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "dpo", "--model", "demo/sft/model", "--pairs", "missing.jsonl", "--out", "dpo-bad"), "preference file not found");

        var dataTime = File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "demo", "data", "meta.json"));
        var second = CliRunner.Run(dir.Path, "demo", "--quick", "--out", "demo", "-q");
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Equal(dataTime, File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "demo", "data", "meta.json")));
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
