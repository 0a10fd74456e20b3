namespace Rlpt.Tests.Cli;

/// <summary>Bad input gets one clear line on stderr and a non-zero exit, never a stack trace.</summary>
public sealed class CliErrorTests
{
    internal static void AssertCleanError(CliRunner.Result result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("rlpt: error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", result.Stderr + result.Stdout);
    }

    [Fact]
    public void VersionPrintsTheAssemblysVersion()
    {
        using var dir = new TestDirectory();
        var result = CliRunner.Run(dir.Path, "--version");
        Assert.Equal(0, result.ExitCode);
        var expected = typeof(Rlpt.Modeling.CausalLM).Assembly.GetName().Version!;
        Assert.Equal($"{expected.Major}.{expected.Minor}.{expected.Build}", result.Stdout.Trim());
    }

    [Fact]
    public void HelpShowsExamples()
    {
        using var dir = new TestDirectory();
        var result = CliRunner.Run(dir.Path, "train", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("EXAMPLES:", result.Stdout);
        Assert.Contains("rlpt train --objective rlp", result.Stdout);
    }

    [Fact]
    public void EveryCommandsHelpShowsExamples()
    {
        using var dir = new TestDirectory();
        string[][] commands = [["demo"], ["tokenizer", "train"], ["corpus", "import"], ["corpus", "stats"], ["pretrain"], ["sft"], ["train"], ["eval"],
            ["generate"], ["serve"], ["dashboard"], ["chat"], ["export"], ["icrl", "demo"], ["icrl", "data"], ["icrl", "train"], ["icrl", "eval"],
            ["offline", "collect"], ["offline", "stats"], ["offline", "train"], ["offline", "relabel"], ["offline", "finetune"], ["offline", "eval"],
            ["bench", "train"], ["bench", "generate"], ["bench", "serve"], ["bench", "gemm"], ["bench", "tokenizer"], ["bench", "rl"], ["bench", "gguf"],
            ["bench", "icrl"], ["bench", "offline"], ["bench", "import"]];
        var missing = commands.Where(c => CliRunner.Run(dir.Path, [.. c, "--help"]) is var r && (r.ExitCode != 0 || !r.Stdout.Contains("EXAMPLES:") || r.Stderr.Length > 0)).Select(c => string.Join(' ', c)).ToArray();
        Assert.True(missing.Length == 0, $"no examples (or an error) in --help of: {string.Join(", ", missing)}");
    }

    [Fact]
    public void DashboardOfAMissingFolder()
    {
        using var dir = new TestDirectory();
        AssertCleanError(CliRunner.Run(dir.Path, "dashboard", "--runs", "nowhere", "--port", "0"), "runs folder 'nowhere' does not exist");
    }

    [Fact]
    public void UnknownReportTarget()
    {
        using var dir = new TestDirectory();
        AssertCleanError(CliRunner.Run(dir.Path, "pretrain", "--data", "x", "--report-to", "wandb", "--out", "run"), "--report-to must be one of none, tensorboard");
    }

    [Fact]
    public void MissingDatasetFolder()
    {
        using var dir = new TestDirectory();
        AssertCleanError(CliRunner.Run(dir.Path, "pretrain", "--data", "no-such-dir", "--out", "run"), "not a token dataset");
    }

    [Fact]
    public void UnknownKeyInConfigFile()
    {
        using var dir = new TestDirectory();
        File.WriteAllText(dir.File("flat.json"), """{"learning_rat": 0.1}""");
        AssertCleanError(CliRunner.Run(dir.Path, "pretrain", "--config", "flat.json", "--data", "x", "--out", "run"), "unknown option 'learning_rat'");
    }

    /// <summary>A mistyped flag is refused before any work: ignored, it would leave the default in place unnoticed.</summary>
    [Theory]
    [InlineData("pretrain", "--learning-rat", "0.1", "learning-rat")]
    [InlineData("train", "--objective", "pretrainzero", "--pz-mask", "random", "pz-mask")]
    public void UnknownFlag(params string[] args)
    {
        using var dir = new TestDirectory();
        AssertCleanError(CliRunner.Run(dir.Path, args[..^1]), $"Unknown option '{args[^1]}'");
    }

    [Fact]
    public void ConfigFileSetsCommandOptionsToo()
    {
        using var dir = new TestDirectory();
        File.WriteAllText(dir.File("c.json"), """{"data": "from-file", "max_steps": 0}""");
        AssertCleanError(CliRunner.Run(dir.Path, "pretrain", "--config", "c.json", "--max-steps", "3", "--out", "run"), "from-file");
        AssertCleanError(CliRunner.Run(dir.Path, "pretrain", "--config", "c.json", "--out", "run"), "max_steps must be at least 1");
    }

    [Fact]
    public void InvalidOptionValue()
    {
        using var dir = new TestDirectory();
        AssertCleanError(CliRunner.Run(dir.Path, "pretrain", "--data", "x", "--max-steps", "0", "--out", "run"), "max_steps must be at least 1");
    }

    [Fact]
    public void MissingModelFolder()
    {
        using var dir = new TestDirectory();
        AssertCleanError(CliRunner.Run(dir.Path, "generate", "--model", "nowhere", "-p", "hi"), "model folder not found");
    }

    [Fact]
    public void CorruptWeightsFile()
    {
        using var dir = new TestDirectory();
        Directory.CreateDirectory(dir.File("m"));
        File.WriteAllText(Path.Combine(dir.File("m"), "config.json"), """{"model_type": "llama", "vocab_size": 300, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1, "num_attention_heads": 4}""");
        var tokenizer = Rlpt.Data.TextDatasetPreparation.TrainTokenizer([new Rlpt.Data.Document("t", "t", "some text for a tokenizer")], 270);
        tokenizer.Save(Path.Combine(dir.File("m"), "tokenizer.json"));
        File.WriteAllBytes(Path.Combine(dir.File("m"), "model.safetensors"), [1, 2, 3]);
        AssertCleanError(CliRunner.Run(dir.Path, "generate", "--model", "m", "-p", "hi"), "model.safetensors");
    }

    [Fact]
    public void UnknownCommand()
    {
        using var dir = new TestDirectory();
        var result = CliRunner.Run(dir.Path, "pretrian");
        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("   at ", result.Stderr + result.Stdout);
    }
}
