using System.Text.Json;

namespace Rlpt.Tests.Cli;

public sealed class CorpusCommandTests
{
    [Fact]
    public void ImportStatsPretrainSftAndTrainEndToEnd()
    {
        using var dir = new TestDirectory();
        Directory.CreateDirectory(dir.File("docs"));
        for (int i = 0; i < 30; i++)
            File.WriteAllText(dir.File($"docs/{i}.txt"), $"Chapter {i} begins here. The river ran past mill number {i}. Dr. Lane arrived at 3 p.m. and left soon after.");
        var import = CliRunner.Run(dir.Path, "corpus", "import", "docs", "--arithmetic", "50", "--no-quality-filter", "--vocab-size", "600",
            "--held-out", "0.2", "--weight", "arithmetic=2", "--out", "ds", "-q");
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Contains("done:", import.Stdout);
        var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "ds", "meta.json"))).RootElement;
        Assert.Equal("sentence", meta.GetProperty("segmentation").GetString());
        Assert.Equal(2.0, meta.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "arithmetic").GetProperty("weight").GetDouble());

        var stats = CliRunner.Run(dir.Path, "corpus", "stats", "--data", "ds");
        Assert.True(stats.ExitCode == 0, stats.Stderr);
        Assert.Contains("arithmetic", stats.Stdout);
        Assert.True(new FileInfo(Path.Combine(dir.Path, "ds", "stats", "segment_tokens.png")).Length > 1000);

        var pretrain = CliRunner.Run(dir.Path, "pretrain", "--data", "ds", "--preset", "tiny", "--max-steps", "3", "--batch-size", "2",
            "--sequence-length", "32", "--eval-batches", "1", "--out", "run", "-q");
        Assert.True(pretrain.ExitCode == 0, pretrain.Stderr);

        var sft = CliRunner.Run(dir.Path, "sft", "--model", "run/model", "--data", "ds", "--examples", "16", "--epochs", "1", "--batch-size", "8",
            "--context-tokens", "64", "--out", "sft", "-q");
        Assert.True(sft.ExitCode == 0, sft.Stderr);
        var train = CliRunner.Run(dir.Path, "train", "--model", "sft/model", "--data", "ds", "--max-steps", "2", "--num-generations", "2",
            "--prompts-per-step", "2", "--max-completion-length", "8", "--context-tokens", "64", "--reward", "prefix=1", "--reward", "numeric=1", "--out", "rl", "-q");
        Assert.True(train.ExitCode == 0, train.Stderr);
        var metrics = File.ReadAllLines(Path.Combine(dir.Path, "rl", "metrics.jsonl"));
        Assert.Equal(2, metrics.Length);
        Assert.Contains("\"rewards/numeric/mean\"", metrics[0]);
        Assert.True(File.Exists(Path.Combine(dir.Path, "rl", "model", "model.safetensors")));
        // The pretrained model as an in-process judge (the judge's own behaviour is tested in Serving).
        var judged = CliRunner.Run(dir.Path, "train", "--model", "sft/model", "--data", "ds", "--max-steps", "1", "--num-generations", "2",
            "--prompts-per-step", "2", "--max-completion-length", "8", "--context-tokens", "64", "--reward", "judge=1", "--judge-local", "run/model", "--out", "rl-judged", "-q");
        Assert.True(judged.ExitCode == 0, judged.Stderr);
        Assert.Contains("\"rewards/judge/mean\"", File.ReadAllText(Path.Combine(dir.Path, "rl-judged", "metrics.jsonl")));
        Assert.Contains("run/model (in process)", File.ReadAllText(Path.Combine(dir.Path, "rl-judged", "run_config.json")));
        var badReward = CliRunner.Run(dir.Path, "train", "--model", "sft/model", "--data", "ds", "--reward", "vibes=1", "--out", "rl2");
        Assert.Equal(1, badReward.ExitCode);
        Assert.Contains("unknown reward 'vibes'", badReward.Stderr);
    }

    [Fact]
    public void ImportErrorsAreOneLine()
    {
        using var dir = new TestDirectory();
        var none = CliRunner.Run(dir.Path, "corpus", "import", "--out", "ds");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("give input files", none.Stderr);
        var badWeight = CliRunner.Run(dir.Path, "corpus", "import", "--arithmetic", "10", "--weight", "arithmetic", "--out", "ds");
        Assert.Equal(1, badWeight.ExitCode);
        Assert.Contains("NAME=NUMBER", badWeight.Stderr);
        var missing = CliRunner.Run(dir.Path, "corpus", "import", "nowhere/*.jsonl", "--out", "ds");
        Assert.Equal(1, missing.ExitCode);
        Assert.Single(missing.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
