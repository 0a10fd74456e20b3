using Rlpt.Evaluation;
using Rlpt.Generation;
using Rlpt.Modeling;
using Rlpt.Objectives;
using Rlpt.Objectives.Empo;
using Rlpt.Objectives.Rlpt;
using Rlpt.Rewards;
using Rlpt.Telemetry;
using Rlpt.Tests.Objectives.Rlpt;
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

    [Fact]
    public void EvaluationScoresEachQuestionsAnswersAgainstTheTrueSegmentByHand()
    {
        // {7, 7.0, 14/2} mean the same number; "8", "seven" (text, not a number) and the empty answer are clusters of their own.
        var score = EmpoEvaluation.Score(new EmpoOptions(), "So 3 + 4 = 7.", ["7", "7.0", "14/2", "8", null, "seven"]);
        Assert.Equal(4, score.Clusters);
        Assert.Equal(-(0.5 * Math.Log(0.5) + 3 * (1.0 / 6) * Math.Log(1.0 / 6)), score.Entropy, 12);
        Assert.Equal(0.5, score.MajorityShare);
        Assert.Equal(1.0 / 6, score.EmptyRate, 12);
        Assert.True(score.MajorityCorrect);
        Assert.Equal(0.5, score.CorrectRate);

        var wrong = EmpoEvaluation.Score(new EmpoOptions(), "So 3 + 4 = 7.", ["8", "8", "7", null]);
        Assert.False(wrong.MajorityCorrect);
        Assert.Equal(0.25, wrong.CorrectRate);
        Assert.Equal(0.5, wrong.MajorityShare);

        var silent = EmpoEvaluation.Score(new EmpoOptions(), "So 3 + 4 = 7.", [null, null]);
        Assert.Equal((0.0, false, 1.0, 0.0), (silent.MajorityShare, silent.MajorityCorrect, silent.EmptyRate, silent.CorrectRate));
    }

    [Fact]
    public void EvaluationSamplesSeveralAnswersPerHeldOutQuestionOfTheChosenSourceEvenWhenAskedForGreedy()
    {
        using var corpus = new RlptTestCorpus();
        var (data, tokenizer) = (corpus.Data, corpus.Tokenizer);
        using var model = RandomPolicy(tokenizer.VocabSize);
        var options = new EvaluationOptions { Objectives = ["empo"], Tasks = 4, Decoding = EvaluationDecoding.Greedy(4), PerplexityWindows = 0, Arithmetic = null };
        var result = CheckpointEvaluation.Run("m", model, tokenizer, data, RewardRegistry.Compose(new Dictionary<string, double> { ["prefix"] = 1 }), options,
            type => type == typeof(RlptTaskOptions) ? new RlptTaskOptions { Source = "hill" } : ObjectiveSetup.Defaults(type));

        var section = Assert.Single(result.Objectives!);
        Assert.StartsWith($"{EmpoEvaluation.DefaultSamples} answers per held-out question", section.Description);
        Assert.Equal(4, section.Items.Count);
        Assert.Equal(["semantic_entropy", "clusters", "majority_share", "empty_answer_rate", "majority_correct", "answer_correct"], section.Metrics.Select(m => m.Name));
        // A random model states (almost) nothing between the tags, and every empty answer is its own cluster.
        var metric = section.Metrics.ToDictionary(m => m.Name, m => m.PerItem);
        var hill = data.Meta.Sources.Select(s => s.Name).ToList().IndexOf("hill");
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(hill, data.Validation.Documents[long.Parse(section.Items[i].Split(':')[1])].SourceIndex);
            Assert.InRange(metric["clusters"][i], metric["empty_answer_rate"][i] * EmpoEvaluation.DefaultSamples, EmpoEvaluation.DefaultSamples);
        }
    }

    private static CausalLM RandomPolicy(int vocab)
    {
        var model = new CausalLM(new ModelConfig
        {
            VocabSize = vocab, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2,
            MaxPositionEmbeddings = 512, TieWordEmbeddings = true,
        });
        model.InitializeWeights(5);
        return model;
    }
}
