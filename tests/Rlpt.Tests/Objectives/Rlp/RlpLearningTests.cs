using Rlpt.Modeling;
using Rlpt.Objectives.Rlp;
using Rlpt.Telemetry;
using Rlpt.Tests.Training;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Tests.Objectives.Rlp;

public sealed class RlpLearningTests
{
    /// <summary>
    /// A tiny model is first taught to read one-token thoughts (after &lt;think&gt; y &lt;/think&gt; the next token is y,
    /// where y was the true next token half the time and a random word otherwise), so a thought changes its prediction a
    /// lot, and mostly for the worse: its first thoughts are often wrong guesses and the information gain is well below
    /// zero. With EMA decay 0 the baseline is the current policy without a thought, so the reward is the thought's own
    /// gain and no drift of θ against a lagging teacher can move it; GRPO on that gain must stop the harmful thoughts.
    /// A flipped advantage or a gradient on the wrong tokens would push the gain down instead.
    /// </summary>
    [Fact]
    public void RlpRaisesTheInformationGainOfAThoughtReadingModel()
    {
        using var dir = new TestDirectory();
        var (data, tokenizer) = TinyCorpus.Build(dir.File("data"));
        using var _ = data;
        using var policy = new CausalLM(new ModelConfig
        {
            VocabSize = tokenizer.VocabSize, HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4,
            MaxPositionEmbeddings = 128, TieWordEmbeddings = true,
        });
        policy.InitializeWeights(3);
        var options = new RlpOptions { ContextTokens = 12, MinContextTokens = 4, EmaDecay = 0 };
        TrainThoughtReader(policy, tokenizer, new RlpPositions(data.Train, options with { Seed = 99 }));

        var config = new GrpoConfig
        {
            NumGenerations = 8, PromptsPerStep = 8, MaxCompletionLength = 1, LearningRate = 1e-2, MaxSteps = 30, SaveEvery = 0,
            LogCompletionsEvery = 0, MicroBatchSize = 64, AdvantageEstimator = "rloo",
        };
        using var objective = new RlpObjective(data.Train, policy, tokenizer, options);
        using var algorithm = new GrpoAlgorithm(config, policy, tokenizer, objective, CPU);
        new TrainingRun(dir.File("run")).Run(algorithm, resume: false);

        var metrics = MetricsWriter.Read(Path.Combine(dir.File("run"), MetricsWriter.FileName));
        var gains = metrics.Select(m => m[InformationGainReward.InformationGain].GetDouble()).ToArray();
        double first = gains.Take(5).Average(), last = gains.TakeLast(5).Average();
        string trace = string.Join(" ", gains.Select(g => g.ToString("F2")));
        Assert.True(first < -0.5, $"the reader's first thoughts should mislead it (mean gain of the first steps {first:F2}; {trace})");
        Assert.True(last > first + 0.5, $"RLP should raise the mean information gain: {first:F2} → {last:F2} ({trace})");
        foreach (var key in new[] { InformationGainReward.ThoughtLength, InformationGainReward.BaselineLogLikelihood, InformationGainReward.ReasonedLogLikelihood, "reward_std", "loss" })
            Assert.True(metrics[0].ContainsKey(key), $"metrics lack {key}");
    }

    private static void TrainThoughtReader(CausalLM model, Tokenizer tokenizer, RlpPositions positions)
    {
        int think = tokenizer.TokenToId(SpecialTokens.ThinkStart)!.Value, end = tokenizer.TokenToId(SpecialTokens.ThinkEnd)!.Value;
        var random = new Random(3);
        var words = Enumerable.Range(0, tokenizer.VocabSize).Where(t => !SpecialTokens.All.Contains(tokenizer.IdToToken(t))).ToArray();
        long drawn = 0;
        TinyNextTokenFit.Fit(model, _ => Enumerable.Range(0, 32).Select(_ =>
        {
            var task = positions.Draw(drawn++);
            int thought = random.Next(2) == 0 ? task.Scored[0] : words[random.Next(words.Length)];
            return (IReadOnlyList<int>)[.. task.Context, think, thought, end, thought];
        }).ToArray(), steps: 150);
    }
}
