using Rlpt.Generation;
using Rlpt.Objectives.Empo;
using Rlpt.Telemetry;
using Rlpt.Tests.Training.Rl;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Tests.Objectives.Empo;

public sealed class EmpoTests
{
    private static RolloutGroup Group(params string[] completions) =>
        new(new RolloutPrompt([1], [], "q", new Dictionary<string, string>()),
            completions.Select(c => new GenerationResult([1], [0], c, FinishReason.Stop, 1)).ToArray());

    private static string? Raw(string completion) => completion.Length == 0 ? null : completion;

    [Fact]
    public async Task NumbersClusterByValueAndEmptyAnswersScoreZeroAsTheirOwnClusters()
    {
        var group = Group("3/4", "0.75", "1", "", "1.0");
        var metrics = await new SemanticClusterReward(new EmpoOptions(), Raw).ScoreAsync(new RolloutBatch([group]), null!, default);
        // Clusters {3/4, 0.75}, {1, 1.0}, {empty}: shares 2/5, 2/5, and 0 for the empty answer.
        Assert.Equal([0.4, 0.4, 0.4, 0, 0.4], group.Rewards);
        double entropy = -(2 * 0.4 * Math.Log(0.4) + 0.2 * Math.Log(0.2));
        Assert.Equal(entropy, metrics[SemanticClusterReward.SemanticEntropy], 12);
        Assert.Equal(entropy / Math.Log(5), group.Stats[SemanticClusterReward.EntropyStat], 12);
        Assert.Equal(3, metrics[SemanticClusterReward.Clusters]);
        Assert.Equal(0.2, metrics[SemanticClusterReward.EmptyAnswers], 12);
    }

    [Fact]
    public void FreeTextClustersByNormalisedTextAndTwoEmptyAnswersAreTwoClusters()
    {
        var clusters = SemanticClusters.Of(["The cat sat.", "the  cat sat", "A dog", null, null], (a, b) =>
            global::Rlpt.Rewards.TextNormalization.Normalize(a) == global::Rlpt.Rewards.TextNormalization.Normalize(b));
        Assert.Equal([2, 1, 1, 1], clusters.Sizes);
        Assert.Equal([0.4, 0.4, 0.2, 0, 0], clusters.Rewards());
        Assert.Equal(-(0.4 * Math.Log(0.4) + 3 * 0.2 * Math.Log(0.2)), clusters.Entropy(), 12);
        Assert.Equal(0, SemanticClusters.Of(["x", "x", "x"], (a, b) => a == b).Entropy());
    }

    [Fact]
    public async Task TheEntropyBandKeepsOnlyGroupsInside()
    {
        var options = new EmpoOptions { MinEntropy = 0.1, MaxEntropy = 0.8 };
        var reward = new SemanticClusterReward(options, Raw);
        var agreed = Group("7", "7", "7", "7");          // H = 0
        var split = Group("7", "7", "8", "8");           // H / ln 4 = 0.5
        var scattered = Group("1", "2", "3", "4");       // H / ln 4 = 1
        var metrics = await reward.ScoreAsync(new RolloutBatch([agreed, split, scattered]), null!, default);
        var filter = new EntropyBandFilter(options);
        Assert.Equal([false, true, false], new[] { agreed, split, scattered }.Select(filter.Keep));
        Assert.Equal(1.0 / 3, metrics[SemanticClusterReward.KeptShare], 12);
        Assert.Throws<ArgumentException>(() => new EmpoOptions { MinEntropy = 0.9, MaxEntropy = 0.5 }.Validate());
        Assert.Throws<ArgumentException>(() => new EmpoOptions { ClusterBy = "votes" }.Validate());
    }

    /// <summary>EMPO's reward and band on a one-token answer: the policy should collapse onto one answer.</summary>
    private sealed class OneTokenAnswers(global::Rlpt.Tokenization.Tokenizer tokenizer) : IRlObjective
    {
        public string Name => "empo-test";
        public IRolloutReward Reward { get; } = new SemanticClusterReward(new EmpoOptions { MaxEntropy = 1 }, c => c.Trim().Length == 0 ? null : c.Trim());
        public IReadOnlyList<IGroupFilter> Filters { get; } = [new EntropyBandFilter(new EmpoOptions { MaxEntropy = 1 })];
        public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();
        public RolloutPrompt NextPrompt(RlContext context) => new(tokenizer.Encode("the cat"), [], "q", new Dictionary<string, string>());
        public System.Text.Json.Nodes.JsonObject SaveState() => [];
        public void RestoreState(System.Text.Json.Nodes.JsonObject state) { }
        public void AfterUpdate(RlContext context) { }
        public void Dispose() { }
    }

    [Fact]
    public void EmpoMakesATinyModelAgreeWithItself()
    {
        using var dir = new TestDirectory();
        var (model, tokenizer) = GrpoLearningTests.TinyPolicy();
        using var _ = model;
        var config = new GrpoConfig { NumGenerations = 8, PromptsPerStep = 4, MaxCompletionLength = 1, LearningRate = 1e-2, MaxSteps = 30, SaveEvery = 0, LogCompletionsEvery = 0, MicroBatchSize = 32 };
        using var objective = new OneTokenAnswers(tokenizer);
        using var algorithm = new GrpoAlgorithm(config, model, tokenizer, objective, CPU);
        new TrainingRun(dir.Path).Run(algorithm, resume: false);
        var metrics = MetricsWriter.Read(Path.Combine(dir.Path, MetricsWriter.FileName));
        double first = metrics.Take(3).Average(m => m["reward"].GetDouble()), last = metrics.TakeLast(3).Average(m => m["reward"].GetDouble());
        double firstEntropy = metrics.Take(3).Average(m => m[SemanticClusterReward.SemanticEntropy].GetDouble());
        double lastEntropy = metrics.TakeLast(3).Average(m => m[SemanticClusterReward.SemanticEntropy].GetDouble());
        Assert.True(first < 0.5 && last > 0.9, $"cluster share should rise from {first:F2} to above 0.9 (got {last:F2}; per step {string.Join(" ", metrics.Select(m => m["reward"].GetDouble().ToString("F2")))})");
        Assert.True(lastEntropy < firstEntropy / 3, $"semantic entropy should fall: {firstEntropy:F2} → {lastEntropy:F2}");
    }
}
