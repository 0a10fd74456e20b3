using Rlpt.Data;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Rewards;
using Rlpt.Telemetry;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

public sealed class GrpoLearningTests
{
    internal static (CausalLM Model, global::Rlpt.Tokenization.Tokenizer Tokenizer) TinyPolicy()
    {
        var text = Enumerable.Range(0, 200).Select(i => new Document("t", $"{i}", $"the cat sat on mat {i * 7919 % 1000} while dogs ran far away and birds sang"));
        var tokenizer = TextDatasetPreparation.TrainTokenizer(text, 300);
        var model = new CausalLM(new ModelConfig
        {
            VocabSize = tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2,
            MaxPositionEmbeddings = 64, TieWordEmbeddings = true,
        });
        model.InitializeWeights(3);
        return (model, tokenizer);
    }

    /// <summary>The digit task's settings; learning tests of other stages change only what they test.</summary>
    internal static GrpoConfig DigitTask { get; } = new()
    {
        NumGenerations = 8, PromptsPerStep = 4, MaxCompletionLength = 3, LearningRate = 1e-2, MaxSteps = 40,
        SaveEvery = 0, LogCompletionsEvery = 0, MicroBatchSize = 32,
    };

    /// <summary>
    /// Trains the tiny policy on the digit task (one prompt, reward 1 for a completion starting with a digit), asserts that
    /// it starts near 0 and ends near 1, and returns the metrics and the run folder's completions log.
    /// </summary>
    /// <param name="rollouts">Where the rollouts are generated (from the policy and tokenizer); null: locally.</param>
    internal static (IReadOnlyList<IReadOnlyDictionary<string, System.Text.Json.JsonElement>> Metrics, string[] Completions) LearnDigits(GrpoConfig config, Action<GrpoAlgorithm>? inspect = null,
        Func<CausalLM, global::Rlpt.Tokenization.Tokenizer, global::Rlpt.Training.Rl.Rollouts.IRolloutEngine>? rollouts = null, Action<StepReport>? onStep = null)
    {
        var (metrics, completions) = RunDigits(config, inspect, rollouts, onStep);
        double first = metrics.Take(3).Average(m => m["reward"].GetDouble());
        double last = metrics.TakeLast(3).Average(m => m["reward"].GetDouble());
        Assert.True(first < 0.1, $"an untrained model should rarely start with a digit (mean reward of the first steps {first:F2})");
        Assert.True(last > 0.9, $"training should make it do so almost always (mean reward of the last steps {last:F2}; per step: {string.Join(" ", metrics.Select(m => m["reward"].GetDouble().ToString("F2")))})");
        return (metrics, completions);
    }

    /// <summary>The digit task's run alone, without asserting that it learns (for short runs).</summary>
    /// <param name="onStep">Called after each step, e.g. to break an engine mid-run.</param>
    internal static (IReadOnlyList<IReadOnlyDictionary<string, System.Text.Json.JsonElement>> Metrics, string[] Completions) RunDigits(GrpoConfig config, Action<GrpoAlgorithm>? inspect = null,
        Func<CausalLM, global::Rlpt.Tokenization.Tokenizer, global::Rlpt.Training.Rl.Rollouts.IRolloutEngine>? rollouts = null, Action<StepReport>? onStep = null)
    {
        using var dir = new TestDirectory();
        var (model, tokenizer) = TinyPolicy();
        using var _ = model;
        using var objective = new FixedPromptObjective("the cat", tokenizer, new StartsWithDigit());
        using var algorithm = new GrpoAlgorithm(config, model, tokenizer, objective, CPU, rollouts?.Invoke(model, tokenizer));
        inspect?.Invoke(algorithm);
        new TrainingRun(dir.Path) { OnStep = onStep }.Run(algorithm, resume: false);
        var metrics = MetricsWriter.Read(Path.Combine(dir.Path, MetricsWriter.FileName));
        var completions = Path.Combine(dir.Path, MetricsWriter.CompletionsFileName);
        return (metrics, File.Exists(completions) ? File.ReadAllLines(completions) : []);
    }

    [Fact]
    public void GrpoTeachesATinyModelToEmitTheRewardedPattern()
    {
        var (metrics, completions) = LearnDigits(DigitTask with { LogCompletionsEvery = 10 });
        foreach (var key in new[] { "loss", "reward_std", "frac_reward_zero_std", "completions/mean_length", "completions/clipped_ratio", "entropy", "clip_ratio/region_mean", "grad_norm", "rewards/digit/mean", "time/generation" })
            Assert.True(metrics[0].ContainsKey(key), $"metrics lack {key}");
        // TRL's completions table: two completions of two groups every 10 steps, each with its reward terms and advantage.
        var logged = completions.Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToArray();
        Assert.Equal(16, logged.Length);
        Assert.All(logged, l => Assert.Equal((double)l["reward"]!, (double)l["rewards"]!["digit"]!));
        for (int pair = 0; pair < logged.Length; pair += 2) // the two completions of one group: the better one has the larger advantage
        {
            double r0 = (double)logged[pair]["reward"]!, r1 = (double)logged[pair + 1]["reward"]!;
            double a0 = (double)logged[pair]["advantage"]!, a1 = (double)logged[pair + 1]["advantage"]!;
            Assert.Equal(Math.Sign(r0 - r1), Math.Sign(Math.Round(a0 - a1, 6)));
        }
    }

    /// <summary>With gae (PPO) the value head and its optimizer state must come back too.</summary>
    [Theory]
    [InlineData("grpo")]
    [InlineData("gae")]
    public void ResumeContinuesExactlyLikeAnUninterruptedRun(string estimator)
    {
        using var dir = new TestDirectory();
        var config = new GrpoConfig
        {
            NumGenerations = 4, PromptsPerStep = 2, MaxCompletionLength = 3, LearningRate = 1e-2, MaxSteps = 6,
            SaveEvery = 0, LogCompletionsEvery = 0, MicroBatchSize = 3, NumIterations = 2, AdvantageEstimator = estimator,
        };
        RunResult Train(string run, bool resume, Action<StepReport>? onStep = null, CancellationToken cancellation = default)
        {
            var (model, tokenizer) = TinyPolicy();
            using var _ = model;
            using var objective = new FixedPromptObjective("the cat", tokenizer, new StartsWithDigit());
            using var algorithm = new GrpoAlgorithm(config, model, tokenizer, objective, CPU);
            var result = new TrainingRun(dir.File(run)) { OnStep = onStep }.Run(algorithm, resume, cancellation);
            // The objective continues from its restored draw count: 6 steps draw 6 × prompts_per_step prompts in all.
            if (resume) Assert.Equal(6L * config.PromptsPerStep, objective.Drawn);
            return result;
        }

        Train("straight", resume: false);
        using var cancel = new CancellationTokenSource();
        Assert.True(Train("resumed", resume: false, s => { if (s.Step == 3) cancel.Cancel(); }, cancel.Token).Interrupted);
        Assert.Equal(6, Train("resumed", resume: true).Steps);

        var expected = MetricsWriter.Read(Path.Combine(dir.File("straight"), MetricsWriter.FileName));
        var actual = MetricsWriter.Read(Path.Combine(dir.File("resumed"), MetricsWriter.FileName));
        Assert.Equal(expected.Select(m => m["reward"].GetDouble()), actual.Select(m => m["reward"].GetDouble()));
        Assert.Equal(expected.Select(m => Math.Round(m["grad_norm"].GetDouble(), 5)), actual.Select(m => Math.Round(m["grad_norm"].GetDouble(), 5)));
        if (estimator == "gae")
            Assert.Equal(expected.Select(m => Math.Round(m["critic/vf_loss"].GetDouble(), 6)), actual.Select(m => Math.Round(m["critic/vf_loss"].GetDouble(), 6)));
        var (a, _) = ModelFolder.Load(Path.Combine(dir.File("straight"), TrainingRun.ModelFolderName), CPU);
        var (b, _) = ModelFolder.Load(Path.Combine(dir.File("resumed"), TrainingRun.ModelFolderName), CPU);
        using (a) using (b)
            foreach (var (name, weight) in a.state_dict())
                Assert.True(weight.allclose(b.state_dict()[name], rtol: 0, atol: 1e-6), $"{name} differs after resume");
    }
}
