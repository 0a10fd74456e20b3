using Rlpt.Modeling;
using Rlpt.Objectives.PretrainZero;
using Rlpt.Objectives.Rlpt;
using Rlpt.Telemetry;
using Rlpt.Tests.Objectives.Rlpt;
using Rlpt.Tests.Training;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Tests.Objectives.PretrainZero;

public sealed class PretrainZeroLearningTests(RlptTestCorpus corpus) : IClassFixture<RlptTestCorpus>
{
    /// <summary>
    /// A tiny model fitted briefly on the cold-start format writes \mask{} and \boxed{} but rarely a span that is in the
    /// passage, and its predictions are wrong. Both roles train in the same steps: the generator must learn to propose
    /// valid masks and the predictor to answer them. (In the probe run the valid rate went 0.06 → ~0.95 and predictor
    /// accuracy 0 → ~0.98 in 30 steps; the generator then earns little, since its masks became easy: 1 − acc is small.)
    /// </summary>
    [Fact]
    public void BothRolesLearnTheGeneratorToProposeValidMasksAndThePredictorToAnswerThem()
    {
        const int seed = 3;
        var taskOptions = new RlptTaskOptions { ContextTokens = 24, Seed = seed };
        var options = new PretrainZeroOptions { Seed = seed, AnswerTokens = 12 };
        var passages = PretrainZeroObjective.Passages(corpus.Train, corpus.Tokenizer, corpus.Data.Meta.Sources, taskOptions);
        var examples = PretrainZeroSftData.Build(passages, corpus.Tokenizer, options, 400);
        var rows = examples.Select(e => (IReadOnlyList<int>)corpus.Tokenizer.Encode(e.Prompt + e.Completion)).ToArray();
        using var model = new CausalLM(new ModelConfig { VocabSize = corpus.Tokenizer.VocabSize, HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, MaxPositionEmbeddings = 512, TieWordEmbeddings = true });
        model.InitializeWeights(seed);
        var random = new Random(seed);
        TinyNextTokenFit.Fit(model, _ => Enumerable.Range(0, 8).Select(_ => rows[random.Next(rows.Length)]).ToArray(), 300);
        using var dir = new TestDirectory();
        var config = new GrpoConfig { NumGenerations = 8, PromptsPerStep = 4, MaxCompletionLength = 16, LearningRate = 1e-3, MaxSteps = 30, SaveEvery = 0, LogCompletionsEvery = 0, MicroBatchSize = 64 };
        using var objective = new PretrainZeroObjective(PretrainZeroObjective.Passages(corpus.Train, corpus.Tokenizer, corpus.Data.Meta.Sources, taskOptions with { Seed = seed + 1 }), corpus.Tokenizer, options);
        using var algorithm = new GrpoAlgorithm(config, model, corpus.Tokenizer, objective, CPU);
        new TrainingRun(dir.Path).Run(algorithm, resume: false);
        var metrics = MetricsWriter.Read(Path.Combine(dir.Path, MetricsWriter.FileName));
        double Mean(string key, int skip, int take) => metrics.Skip(skip).Take(take).Average(m => m[key].GetDouble());
        string Trace(string key) => key + ": " + string.Join(" ", metrics.Select(m => m[key].GetDouble().ToString("F2")));
        Assert.True(Mean("pz/mask_valid_rate", 0, 3) < 0.4, Trace("pz/mask_valid_rate"));
        Assert.True(Mean("pz/mask_valid_rate", 25, 5) > 0.7, Trace("pz/mask_valid_rate"));
        Assert.True(Mean("pz/predictor_accuracy", 0, 3) < 0.2, Trace("pz/predictor_accuracy"));
        Assert.True(Mean("pz/predictor_accuracy", 25, 5) > 0.6, Trace("pz/predictor_accuracy"));
        Assert.True(metrics.Max(m => m["pz/generator_reward"].GetDouble()) > 0.05, Trace("pz/generator_reward"));
        Assert.True(Mean("pz/predictor_groups", 25, 5) > Mean("pz/predictor_groups", 0, 3), Trace("pz/predictor_groups"));
    }
}
