using Rlpt.Data;
using Rlpt.Data.Corpora.Arithmetic;
using Rlpt.Modeling;
using Rlpt.Objectives.Rlvr;
using Rlpt.Telemetry;
using Rlpt.Training.Rl;
using Rlpt.Tests.Training;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Tests.Objectives.Rlvr;

public sealed class RlvrLearningTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// A tiny model pretrained briefly on level-1 arithmetic documents writes their format but often runs past the length
    /// limit before its conclusion, and the values it states are wrong (accuracy stays 0 at this size). The continuous
    /// reward pays for stating a value and more for a closer one, so RLVR must make it conclude and raise its reward.
    /// (At lr 3e-3 the same run collapsed to never concluding: the test pins the stable lr 1e-3.)
    /// </summary>
    [Fact]
    public void RlvrTeachesATinyArithmeticModelToStateItsAnswerAndRaisesTheReward()
    {
        const int pretrainSteps = 400, seed = 2;
        const double lr = 1e-3;
        var documents = ArithmeticDocuments.Generate(new ArithmeticCorpusOptions { Count = 2000, MinOperations = 1, MaxOperations = 1, Seed = 2 }).ToArray();
        var tokenizer = TextDatasetPreparation.TrainTokenizer(documents, 300);
        using var model = new CausalLM(new ModelConfig { VocabSize = tokenizer.VocabSize, HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, MaxPositionEmbeddings = 128, TieWordEmbeddings = true });
        model.InitializeWeights(seed);
        var sequences = documents.Select(d => tokenizer.Encode(d.Text).Append(tokenizer.EndOfTextId).ToArray()).ToArray();
        var random = new Random(seed);
        TinyNextTokenFit.Fit(model, _ => Enumerable.Range(0, 16).Select(_ => (IReadOnlyList<int>)sequences[random.Next(sequences.Length)]).ToArray(), pretrainSteps);
        using var dir = new TestDirectory();
        var config = new GrpoConfig { NumGenerations = 8, PromptsPerStep = 8, MaxCompletionLength = 32, LearningRate = lr, MaxSteps = 40, SaveEvery = 0, LogCompletionsEvery = 0, MicroBatchSize = 64 };
        using var objective = new RlvrObjective(tokenizer, new RlvrOptions { MinLevel = 1, MaxLevel = 1 });
        using var algorithm = new GrpoAlgorithm(config, model, tokenizer, objective, CPU);
        new TrainingRun(dir.Path).Run(algorithm, resume: false);
        var metrics = MetricsWriter.Read(Path.Combine(dir.Path, MetricsWriter.FileName));
        double Mean(string key, int skip, int take) => metrics.Skip(skip).Take(take).Average(m => m[key].GetDouble());
        string trace = string.Join(" ", metrics.Select(m => m["reward"].GetDouble().ToString("F3")));
        output.WriteLine($"reward per step: {trace}");
        output.WriteLine($"answer rate per step: {string.Join(" ", metrics.Select(m => m["rlvr/answer_rate"].GetDouble().ToString("F2")))}");
        Assert.True(Mean("rlvr/answer_rate", 0, 5) < 0.6, $"the pretrained model should often not conclude in 32 tokens ({Mean("rlvr/answer_rate", 0, 5):F2})");
        Assert.True(Mean("rlvr/answer_rate", 35, 5) > 0.8, $"RLVR should make it conclude ({Mean("rlvr/answer_rate", 35, 5):F2})");
        // The reward stays small (the values stated are wrong), noisy step to step (sd ≈ 0.02) and its path differs with
        // the CPU's kernels: last-5 minus first-5 means rose 0.006 on one machine, last-10 minus first-10 0.010 on it and
        // 0.029 on another. The last 20 steps against the first 10 keep the noise of the difference near 0.008, so a rise
        // of that size is seen; the answer rate above is the test's main check.
        Assert.True(Mean("reward", 20, 20) > Mean("reward", 0, 10), $"the reward should rise: {trace}");
    }
}
