using System.Text.Json;

namespace Rlpt.Tests.Cli;

public sealed class OfflineCommandTests
{
    [Fact]
    public void CollectStatsTrainAndEvalChainFromAFreshFolder()
    {
        using var dir = new TestDirectory();
        var collect = CliRunner.Run(dir.Path, "offline", "collect", "--env", "CartPole-v1", "--online-steps", "600", "--transitions", "300", "--out", "cartpole", "-q");
        Assert.True(collect.ExitCode == 0, collect.Stderr);
        foreach (var file in new[] { "random.parquet", "expert.parquet", "mixed.parquet", "noisy.parquet", "replay.parquet", "expert/config.json", "expert/model.safetensors", "online_curve.png", "collection.json" })
            Assert.True(File.Exists(dir.File($"cartpole/{file}")), file);

        var stats = CliRunner.Run(dir.Path, "offline", "stats", "cartpole", "-q");
        Assert.True(stats.ExitCode == 0, stats.Stderr);
        var measures = JsonDocument.Parse(File.ReadAllText(dir.File("cartpole/stats/stats.json"))).RootElement.GetProperty("datasets").EnumerateArray().ToDictionary(m => m.GetProperty("Name").GetString()!);
        Assert.Equal(0.0, measures["random"].GetProperty("TrajectoryQuality").GetDouble(), 9);
        Assert.Equal(1.0, measures["expert"].GetProperty("TrajectoryQuality").GetDouble(), 9);
        Assert.Equal(1.0, measures["replay"].GetProperty("StateActionCoverage").GetDouble(), 9);
        Assert.True(File.Exists(dir.File("cartpole/stats/returns_mixed.png")));
        Assert.Contains("| noisy |", File.ReadAllText(dir.File("cartpole/stats/stats.md")));

        var train = CliRunner.Run(dir.Path, "offline", "train", "--data", "cartpole/mixed.parquet", "--algorithm", "cql", "--weighting", "rw", "--max-steps", "4",
            "--batch-size", "16", "--hidden-size", "16", "--eval-episodes", "2", "--out", "cql", "-q");
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Contains("eval_normalized_score", File.ReadAllText(dir.File("cql/metrics.jsonl")));
        var eval = CliRunner.Run(dir.Path, "offline", "eval", "--model", "cql/model", "--episodes", "3", "--reference", "cartpole/random.parquet", "--out", "eval", "-q");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var report = JsonDocument.Parse(File.ReadAllText(dir.File("eval/eval.json"))).RootElement;
        Assert.Equal(3, report.GetProperty("returns").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, report.GetProperty("normalized_score").ValueKind);
        var expert = CliRunner.Run(dir.Path, "offline", "eval", "--model", "cartpole/expert", "--episodes", "2", "--out", "eval-expert", "-q");
        Assert.True(expert.ExitCode == 0, expert.Stderr);

        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "offline", "collect", "--env", "Pendulum-v1", "--out", "x"), "continuous actions");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "offline", "train", "--data", "cartpole/mixed.parquet", "--algorithm", "awac", "--out", "y"), "unknown algorithm 'awac'");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "offline", "train", "--data", "nowhere.parquet", "--out", "y"), "nowhere.parquet");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "offline", "eval", "--model", "cql/model", "--env", "Acrobot-v1", "--out", "z"), "Acrobot-v1 does not match");
    }
}
