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
        var eval = CliRunner.Run(dir.Path, "offline", "eval", "--model", "cql/model", "--episodes", "3", "--reference", "cartpole/random.parquet",
            "--fqe-data", "cartpole/mixed.parquet", "--fqe-steps", "3", "--out", "eval", "-q");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var report = JsonDocument.Parse(File.ReadAllText(dir.File("eval/eval.json"))).RootElement;
        Assert.Equal(3, report.GetProperty("returns").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, report.GetProperty("normalized_score").ValueKind);
        Assert.Equal(JsonValueKind.Number, report.GetProperty("fqe_initial_state_value").ValueKind);
        Assert.True(report.GetProperty("mean_discounted_return").GetDouble() < report.GetProperty("mean_return").GetDouble());
        var expert = CliRunner.Run(dir.Path, "offline", "eval", "--model", "cartpole/expert", "--episodes", "2", "--out", "eval-expert", "-q");
        Assert.True(expert.ExitCode == 0, expert.Stderr);

        // A D4RL-layout file that names no environment trains with --env, and is evaluated there.
        var mixed = Rlpt.Decision.Offline.Data.EpisodeDatasetFiles.Load(dir.File("cartpole/mixed.parquet"));
        Rlpt.Decision.Offline.Data.EpisodeDatasetFiles.Save(new Rlpt.Decision.Offline.Data.EpisodeDataset(mixed.ObservationSize, mixed.ActionSize, mixed.Observations,
            mixed.Actions, mixed.Rewards, mixed.NextObservations, mixed.Terminals, mixed.Timeouts), dir.File("d4rl.hdf5"));
        var d4rl = CliRunner.Run(dir.Path, "offline", "train", "--data", "d4rl.hdf5", "--env", "CartPole-v1", "--algorithm", "double_dqn", "--max-steps", "2",
            "--batch-size", "8", "--hidden-size", "8", "--eval-episodes", "1", "--out", "d4rl", "-q");
        Assert.True(d4rl.ExitCode == 0, d4rl.Stderr);
        Assert.Contains("eval_return", File.ReadAllText(dir.File("d4rl/metrics.jsonl")));

        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "offline", "collect", "--env", "Hopper-v4", "--out", "x"), "unknown environment 'Hopper-v4'");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "offline", "finetune", "--model", "cql/model", "--mode", "retain", "--out", "x"), "needs --data");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "offline", "train", "--data", "cartpole/mixed.parquet", "--algorithm", "awac", "--out", "y"), "unknown algorithm 'awac'");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "offline", "train", "--data", "nowhere.parquet", "--out", "y"), "nowhere.parquet");
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "offline", "eval", "--model", "cql/model", "--env", "Acrobot-v1", "--out", "z"), "Acrobot-v1 does not match");
    }

    [Fact]
    public void PendulumCollectsWithSacTrainsCalQlFineTunesBothWaysAndRelabels()
    {
        using var dir = new TestDirectory();
        var collect = CliRunner.Run(dir.Path, "offline", "collect", "--env", "Pendulum-v1", "--online-steps", "400", "--transitions", "400", "--out", "pendulum", "-q");
        Assert.True(collect.ExitCode == 0, collect.Stderr);
        Assert.Contains("\"alpha\"", File.ReadAllText(dir.File("pendulum/metrics.jsonl")));
        var train = CliRunner.Run(dir.Path, "offline", "train", "--data", "pendulum/replay.parquet", "--algorithm", "calql", "--max-steps", "3", "--batch-size", "16",
            "--hidden-size", "16", "--eval-episodes", "1", "--out", "calql", "-q");
        Assert.True(train.ExitCode == 0, train.Stderr);
        foreach (var mode in new[] { "wsrl", "retain" })
        {
            var finetune = CliRunner.Run(dir.Path, "offline", "finetune", "--model", "calql/model", "--data", "pendulum/replay.parquet", "--mode", mode,
                "--online-steps", "300", "--warmup-steps", "100", "--eval-every", "150", "--out", mode, "-q");
            Assert.True(finetune.ExitCode == 0, finetune.Stderr);
            var report = JsonDocument.Parse(File.ReadAllText(dir.File($"{mode}/finetune.json"))).RootElement;
            Assert.Equal(2, report.GetProperty("curve").GetArrayLength());
            Assert.Equal(JsonValueKind.Number, report.GetProperty("regret").ValueKind);
            Assert.True(File.Exists(dir.File($"{mode}/model/model.safetensors")));
        }
        // WSRL's warm-up makes no updates; keeping the offline data updates from the first step.
        var wsrl = File.ReadLines(dir.File("wsrl/metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.DoesNotContain(wsrl.Take(99), r => r.TryGetProperty("critic_loss", out _));
        Assert.True(wsrl[100].TryGetProperty("critic_loss", out _));
        Assert.True(JsonDocument.Parse(File.ReadLines(dir.File("retain/metrics.jsonl")).First()).RootElement.TryGetProperty("critic_loss", out _));

        var relabel = CliRunner.Run(dir.Path, "offline", "relabel", "--data", "pendulum/replay.parquet", "--labelled-share", "0.5", "--steps", "20", "--out", "ssorl", "-q");
        Assert.True(relabel.ExitCode == 0, relabel.Stderr);
        Assert.True(File.Exists(dir.File("ssorl/relabelled.parquet")) && File.Exists(dir.File("ssorl/labelled_only.parquet")));
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "offline", "train", "--data", "pendulum/replay.parquet", "--algorithm", "double_dqn", "--out", "x"), "does not handle continuous");
        Rlpt.Decision.Offline.Data.EpisodeDatasetFiles.Save(new Rlpt.Decision.Offline.Data.EpisodeDataset(1, 1, [0f], [0f], [0f], [0f], [true], [false]), dir.File("tiny.parquet"));
        CliErrorTests.AssertCleanError(CliRunner.Run(dir.Path, "offline", "finetune", "--model", "pendulum/expert", "--data", "tiny.parquet", "--out", "y"), "do not fit Pendulum-v1");
    }
}
