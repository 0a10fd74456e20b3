using System.Text.Json;

namespace Rlpt.Tests.Cli;

public sealed class IcrlCommandTests
{
    [Fact]
    public void QuickDemoRunsDptEndToEndWritesItsJsonAndOnlyReevaluatesWhenRerun()
    {
        using var dir = new TestDirectory();
        var first = CliRunner.Run(dir.Path, "icrl", "demo", "--quick", "--out", "demo", "--json", "icrl.json", "-q");
        Assert.True(first.ExitCode == 0, first.Stderr);
        var darkroom = JsonDocument.Parse(File.ReadAllText(dir.File("icrl.json"))).RootElement.GetProperty("darkroom");
        Assert.Equal(4, darkroom.GetProperty("dpt_online_returns").GetArrayLength());
        Assert.InRange(darkroom.GetProperty("dpt_offline_return").GetDouble(), 0, darkroom.GetProperty("optimal_return").GetDouble());
        Assert.True(darkroom.GetProperty("context_return").GetDouble() >= 0);
        foreach (var file in new[] { "data/train.safetensors", "data/held_out.safetensors", "dpt/metrics.jsonl", "dpt/model/config.json", "dpt/model/model.safetensors",
            "eval/report.md", "eval/eval.json", "eval/online_returns.png", "run_config.json" })
            Assert.True(File.Exists(Path.Combine(dir.Path, "demo", file)), file);
        var modelTime = File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "demo", "dpt", "model", "model.safetensors"));
        var again = CliRunner.Run(dir.Path, "icrl", "demo", "--quick", "--out", "demo", "-q");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(modelTime, File.GetLastWriteTimeUtc(Path.Combine(dir.Path, "demo", "dpt", "model", "model.safetensors")));
    }

    [Fact]
    public void DataTrainAndEvalChainForDptOnBanditsAndAdWithLhf()
    {
        using var dir = new TestDirectory();
        Assert.Equal(0, CliRunner.Run(dir.Path, "icrl", "data", "--env", "bandit_bernoulli", "--horizon", "12", "--contexts", "64", "--held-out-contexts", "16", "--out", "bandit", "-q").ExitCode);
        var train = CliRunner.Run(dir.Path, "icrl", "train", "--data", "bandit", "--max-steps", "2", "--batch-size", "16", "--hidden-size", "16", "--num-hidden-layers", "1", "--out", "bandit-dpt", "-q");
        Assert.True(train.ExitCode == 0, train.Stderr);
        var eval = CliRunner.Run(dir.Path, "icrl", "eval", "--model", "bandit-dpt/model", "--tasks", "10", "--out", "bandit-eval", "-q");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Contains("| ts |", File.ReadAllText(dir.File("bandit-eval/report.md")));
        Assert.True(File.Exists(dir.File("bandit-eval/online_regret.png")));

        Assert.Equal(0, CliRunner.Run(dir.Path, "icrl", "data", "--method", "ad", "--size", "4", "--horizon", "6", "--start", "center", "--histories-per-task", "2",
            "--episodes", "5", "--action-noise", "0.3", "--out", "histories", "-q").ExitCode);
        var ad = CliRunner.Run(dir.Path, "icrl", "train", "--method", "ad", "--data", "histories", "--history-filter", "lhf", "--sequence-length", "12", "--max-steps", "2",
            "--batch-size", "8", "--hidden-size", "16", "--num-hidden-layers", "1", "--out", "ad", "-q");
        Assert.True(ad.ExitCode == 0, ad.Stderr);
        var adEval = CliRunner.Run(dir.Path, "icrl", "eval", "--model", "ad/model", "--online-episodes", "3", "--out", "ad-eval", "-q");
        Assert.True(adEval.ExitCode == 0, adEval.Stderr);
        Assert.Contains("Algorithm Distillation", File.ReadAllText(dir.File("ad-eval/report.md")));

        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "icrl", "data", "--env", "maze", "--out", "x"), "unknown environment 'maze'");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "icrl", "data", "--method", "ad", "--env", "bandit_gaussian", "--out", "x"), "unknown bandit source 'epsilon' for bandit_gaussian");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "icrl", "train", "--data", "nowhere", "--out", "y"), "no DPT contexts");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "icrl", "train", "--method", "ad", "--data", "histories", "--sequence-length", "99", "--out", "z"), "longer than a history");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "icrl", "eval", "--model", "histories", "--out", "w"), "no config.json");
    }
}
