using System.Text.Json.Nodes;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Telemetry;
using Rlpt.Tests.Modeling;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

public sealed class SharedPrefixTests
{
    private static (IReadOnlyList<int>, IReadOnlyList<int>, IReadOnlyList<float>, float, float) Row(IReadOnlyList<int> prompt, int[] completion, float advantage) =>
        (prompt, completion, completion.Select(_ => -1f).ToArray(), 1f, advantage);

    /// <summary>A loss that weighs every completion position differently, so a misplaced position or row changes it.</summary>
    private static Tensor Loss(Tensor logits, RlBatch batch)
    {
        var logProbs = RlBatch.TokenLogProbs(logits, batch.Targets, 0.7);
        var weights = arange(1, logProbs.shape[1] + 1, dtype: ScalarType.Float32).unsqueeze(0) * batch.Advantages;
        return (logProbs * weights * batch.Mask).sum() + (logits.square().mean([-1L]) * batch.Mask).sum() * 1e-3;
    }

    [Theory]
    [InlineData("qwen3")]
    [InlineData("llama")]
    public void ForwardingThePromptOnceGivesTheSameLossAndGradientsAsForwardingEverySequence(string modelType)
    {
        using var model = TinyModels.Create(modelType);
        model.train();
        IReadOnlyList<int> prompt = [3, 9, 14, 2, 27, 8, 40, 5, 11];
        // Ragged completions (1 to 6 tokens): right padding inside the group, one of length 1 (only the prompt's last position).
        var batch = RlBatch.Build([Row(prompt, [7, 1, 30, 2], 0.5f), Row(prompt, [12], -1.0f), Row(prompt, [4, 4, 19, 33, 6, 20], 1.5f), Row(prompt, [50, 2], -0.25f)], 0, CPU);

        Dictionary<string, Tensor> Gradients(bool share, out double loss)
        {
            model.zero_grad();
            var value = Loss(batch.Logits(model, share), batch);
            value.backward();
            loss = value.item<float>();
            return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        }
        var unshared = Gradients(share: false, out double unsharedLoss);
        var shared = Gradients(share: true, out double sharedLoss);

        Assert.Equal(unsharedLoss, sharedLoss, Math.Abs(unsharedLoss) * 1e-5);
        foreach (var (name, expected) in unshared)
        {
            double difference = (shared[name] - expected).norm().item<float>(), scale = expected.norm().item<float>();
            Assert.True(difference <= 1e-5 * scale + 1e-7, $"{name}: gradient differs by {difference:G3} (norm {scale:G3})");
            Assert.True(scale > 0, $"{name} got no gradient");
        }
    }

    [Fact]
    public void TheUnsharedPathReadsTheLogitsOfTheFullSequenceAtEachCompletionPosition()
    {
        using var model = TinyModels.Create("qwen3");
        IReadOnlyList<int> a = [3, 9, 14], b = [5, 6, 7, 8, 9, 10];
        var batch = RlBatch.Build([Row(a, [1, 2, 3], 1), Row(b, [4], 1)], 0, CPU);
        using var guard = no_grad();
        var logits = batch.Logits(model, sharePrefix: false);
        var full = model.Forward(tensor(new long[] { 3, 9, 14, 1, 2, 3 }).unsqueeze(0));
        for (int j = 0; j < 3; j++) Assert.True(logits[0, j].allclose(full[0, 2 + j], rtol: 1e-5, atol: 1e-5), $"row 0 token {j}");
        var second = model.Forward(tensor(new long[] { 5, 6, 7, 8, 9, 10, 4 }).unsqueeze(0));
        Assert.True(logits[1, 0].allclose(second[0, 5], rtol: 1e-5, atol: 1e-5));
        Assert.Throws<InvalidOperationException>(() => batch.Logits(model, sharePrefix: true));
    }

    /// <summary>Two prompts of different lengths, alternating; reward 1 for a completion that starts with a digit.</summary>
    private sealed class TwoPrompts(Tokenizer tokenizer) : IRlObjective
    {
        private long drawn;
        public string Name => "two-prompts";
        public IRolloutReward Reward { get; } = new CompletionRewards(new Rlpt.Rewards.RewardComposer([new Rlpt.Rewards.WeightedReward(new StartsWithDigit(), 1.0)]),
            (p, completion) => new Rlpt.Rewards.RewardInput("", completion, completion, "", "", new Dictionary<string, string>()));
        public IReadOnlyList<IGroupFilter> Filters { get; } = [];
        public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();
        public RolloutPrompt NextPrompt(RlContext context)
        {
            var text = drawn++ % 2 == 0 ? "the cat" : "dogs ran far away and birds sang on mat";
            // Stopping at any "a" makes the completions ragged.
            return new RolloutPrompt(tokenizer.Encode(text), ["a"], text, new Dictionary<string, string>());
        }
        public JsonObject SaveState() => new();
        public void RestoreState(JsonObject state) { }
        public void AfterUpdate(RlContext context) { }
        public void Dispose() { }
    }

    [Fact]
    public void GrpoWithSharedPrefixesTrainsLikeTheUnsharedPathWithIterationsAndAReference()
    {
        using var dir = new TestDirectory();
        var config = new GrpoConfig
        {
            NumGenerations = 4, PromptsPerStep = 2, MaxCompletionLength = 5, LearningRate = 1e-2, MaxSteps = 3, SaveEvery = 0,
            LogCompletionsEvery = 0, MicroBatchSize = 3, NumIterations = 2, Beta = 0.04,
        };
        string Train(bool share)
        {
            var (model, tokenizer) = GrpoLearningTests.TinyPolicy();
            using var _ = model;
            using var objective = new TwoPrompts(tokenizer);
            using var algorithm = new GrpoAlgorithm(config with { SharePrefix = share }, model, tokenizer, objective, CPU);
            var run = dir.File(share ? "shared" : "unshared");
            new TrainingRun(run).Run(algorithm, resume: false);
            return run;
        }
        var unshared = Train(false);
        var shared = Train(true);

        var expected = MetricsWriter.Read(Path.Combine(unshared, MetricsWriter.FileName));
        var actual = MetricsWriter.Read(Path.Combine(shared, MetricsWriter.FileName));
        Assert.Equal(expected.Select(m => m["completions/mean_length"].GetDouble()), actual.Select(m => m["completions/mean_length"].GetDouble()));
        Assert.Contains(expected, m => m["completions/min_length"].GetDouble() < m["completions/max_length"].GetDouble());
        foreach (var key in new[] { "reward", "loss", "grad_norm", "kl", "entropy" })
            for (int s = 0; s < expected.Count; s++)
                Assert.True(Math.Abs(expected[s][key].GetDouble() - actual[s][key].GetDouble()) <= 1e-4 * Math.Max(1, Math.Abs(expected[s][key].GetDouble())),
                    $"step {s + 1} {key}: {expected[s][key].GetDouble()} unshared vs {actual[s][key].GetDouble()} shared");
        var (a, _) = ModelFolder.Load(Path.Combine(unshared, TrainingRun.ModelFolderName), CPU);
        var (b, _) = ModelFolder.Load(Path.Combine(shared, TrainingRun.ModelFolderName), CPU);
        using (a) using (b)
            foreach (var (name, weight) in a.state_dict())
                Assert.True(weight.allclose(b.state_dict()[name], rtol: 1e-4, atol: 1e-5), $"{name} differs between the paths");
    }
}
