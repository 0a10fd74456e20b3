using Rlpt.Data;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Rewards;
using Rlpt.Telemetry;
using Rlpt.Training.Rl;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

public sealed class GrpoLearningTests
{
    /// <summary>1 when the completion starts with a digit: rare for an untrained model, easy to learn.</summary>
    private sealed class StartsWithDigit : IRewardFunction
    {
        public string Name => "digit";
        public Task<RewardScores> ScoreAsync(IReadOnlyList<RewardInput> batch, CancellationToken cancellation) =>
            Task.FromResult(new RewardScores(batch.Select(b => b.Completion.Length > 0 && char.IsAsciiDigit(b.Completion[0]) ? 1.0 : 0.0).ToArray()));
    }

    private sealed class FixedPrompts(string prompt) : IPromptSource
    {
        public long Drawn { get; private set; }
        public RlPrompt Next() { Drawn++; return new RlPrompt(prompt, "", "", new Dictionary<string, string>()); }
        public void Restore(long drawn) => Drawn = drawn;
    }

    private static (CausalLM Model, global::Rlpt.Tokenization.Tokenizer Tokenizer) TinyPolicy()
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

    [Fact]
    public void GrpoTeachesATinyModelToEmitTheRewardedPattern()
    {
        using var dir = new TestDirectory();
        var (model, tokenizer) = TinyPolicy();
        using var _ = model;
        var config = new GrpoConfig
        {
            NumGenerations = 8, PromptsPerStep = 4, MaxCompletionLength = 3, LearningRate = 1e-2, MaxSteps = 40,
            SaveEvery = 0, LogCompletionsEvery = 0, MicroBatchSize = 32,
        };
        var rewards = new RewardComposer([new WeightedReward(new StartsWithDigit(), 1.0)]);
        var trainer = new GrpoTrainer(config, model, tokenizer, new FixedPrompts("the cat"), rewards, dir.Path, CPU);
        trainer.Run(resume: false);

        var metrics = MetricsWriter.Read(Path.Combine(dir.Path, MetricsWriter.FileName));
        double first = metrics.Take(3).Average(m => m["reward"].GetDouble());
        double last = metrics.TakeLast(3).Average(m => m["reward"].GetDouble());
        Assert.True(first < 0.1, $"an untrained model should rarely start with a digit (mean reward of the first steps {first:F2})");
        Assert.True(last > 0.9, $"GRPO should make it do so almost always (mean reward of the last steps {last:F2}; per step: {string.Join(" ", metrics.Select(m => m["reward"].GetDouble().ToString("F2")))})");
        foreach (var key in new[] { "reward_std", "frac_reward_zero_std", "completions/mean_length", "completions/clipped_ratio", "entropy", "clip_ratio/region_mean", "grad_norm", "rewards/digit/mean", "time/generation" })
            Assert.True(metrics[0].ContainsKey(key), $"metrics lack {key}");
    }

    [Fact]
    public void ResumeContinuesExactlyLikeAnUninterruptedRun()
    {
        using var dir = new TestDirectory();
        var config = new GrpoConfig
        {
            NumGenerations = 4, PromptsPerStep = 2, MaxCompletionLength = 3, LearningRate = 1e-2, MaxSteps = 6,
            SaveEvery = 0, LogCompletionsEvery = 0, MicroBatchSize = 3, NumIterations = 2,
        };
        var rewards = new RewardComposer([new WeightedReward(new StartsWithDigit(), 1.0)]);
        GrpoTrainer Trainer(CausalLM model, global::Rlpt.Tokenization.Tokenizer tokenizer, string run, Action<GrpoStep>? onStep = null) =>
            new(config, model, tokenizer, new FixedPrompts("the cat"), rewards, dir.File(run), CPU) { OnStep = onStep };

        var (straightModel, tokenizer) = TinyPolicy();
        using (straightModel) Trainer(straightModel, tokenizer, "straight").Run(resume: false);

        using var cancel = new CancellationTokenSource();
        var (first, _) = TinyPolicy();
        using (first)
        {
            var interrupted = Trainer(first, tokenizer, "resumed", s => { if (s.Step == 3) cancel.Cancel(); }).Run(resume: false, cancel.Token);
            Assert.True(interrupted.Interrupted);
        }
        var (second, _) = TinyPolicy();
        using (second) Assert.Equal(6, Trainer(second, tokenizer, "resumed").Run(resume: true).Steps);

        var expected = MetricsWriter.Read(Path.Combine(dir.File("straight"), MetricsWriter.FileName));
        var actual = MetricsWriter.Read(Path.Combine(dir.File("resumed"), MetricsWriter.FileName));
        Assert.Equal(expected.Select(m => m["reward"].GetDouble()), actual.Select(m => m["reward"].GetDouble()));
        Assert.Equal(expected.Select(m => Math.Round(m["grad_norm"].GetDouble(), 5)), actual.Select(m => Math.Round(m["grad_norm"].GetDouble(), 5)));
        var (a, _) = ModelFolder.Load(Path.Combine(dir.File("straight"), GrpoTrainer.ModelFolderName), CPU);
        var (b, _) = ModelFolder.Load(Path.Combine(dir.File("resumed"), GrpoTrainer.ModelFolderName), CPU);
        using (a) using (b)
            foreach (var (name, weight) in a.state_dict())
                Assert.True(weight.allclose(b.state_dict()[name], rtol: 0, atol: 1e-6), $"{name} differs after resume");
    }
}
