using Rlpt.Data.Corpora.Arithmetic;
using Rlpt.Objectives.Rlvr;
using Rlpt.Telemetry;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

public sealed class HptTests
{
    /// <summary>
    /// The reward asks for an answer the untrained model never samples, so every group is all-zero: GRPO alone has no
    /// signal and stays at 0. HPT (γ = 0) trains those prompts on the demonstration instead, which teaches the answer;
    /// once rollouts succeed, the prompts go back to RL (the SFT share falls).
    /// </summary>
    [Fact]
    public void HptLearnsFromDemonstrationsWhereGrpoHasNoSignal()
    {
        IReadOnlyList<IReadOnlyDictionary<string, System.Text.Json.JsonElement>> Run(double? gamma)
        {
            using var dir = new TestDirectory();
            var (model, tokenizer) = GrpoLearningTests.TinyPolicy();
            using var _ = model;
            var config = new GrpoConfig
            {
                NumGenerations = 8, PromptsPerStep = 2, MaxCompletionLength = 8, LearningRate = 1e-2, MaxSteps = 50, SaveEvery = 0, LogCompletionsEvery = 0,
                MicroBatchSize = 32, HptGamma = gamma,
            };
            using var objective = new FixedPromptObjective("the cat", tokenizer, new StartsWithText(" sat on mat 42")) { Demonstration = " sat on mat 42" };
            using var algorithm = new GrpoAlgorithm(config, model, tokenizer, objective, CPU);
            new TrainingRun(dir.Path).Run(algorithm, resume: false);
            return MetricsWriter.Read(Path.Combine(dir.Path, MetricsWriter.FileName));
        }
        var grpo = Run(null);
        var hpt = Run(0);
        string Trace(IEnumerable<IReadOnlyDictionary<string, System.Text.Json.JsonElement>> m, string key) => string.Join(" ", m.Select(x => x[key].GetDouble().ToString("F2")));
        Assert.All(grpo, m => Assert.Equal(0, m["reward"].GetDouble()));
        Assert.False(grpo[0].ContainsKey("hpt/sft_share"));
        Assert.Equal(1, hpt[0]["hpt/sft_share"].GetDouble());
        Assert.True(hpt.TakeLast(5).Average(m => m["reward"].GetDouble()) > 0.5, $"HPT should learn the demonstrated answer: {Trace(hpt, "reward")}");
        Assert.True(hpt.TakeLast(5).Average(m => m["hpt/sft_share"].GetDouble()) < 0.5, $"solved prompts should go back to RL: {Trace(hpt, "hpt/sft_share")}");
        Assert.True(hpt.TakeLast(5).Average(m => m["hpt/accuracy"].GetDouble()) > 0.5, Trace(hpt, "hpt/accuracy"));
    }

    /// <summary>RLVR's demonstration is the corpus's own worked solution after the prompt, ending the document.</summary>
    [Fact]
    public void RlvrDemonstratesTheWorkedSolution()
    {
        var documents = ArithmeticDocuments.Generate(new ArithmeticCorpusOptions { Count = 200, MinOperations = 1, MaxOperations = 2, Seed = 2 }).ToArray();
        var tokenizer = Rlpt.Data.TextDatasetPreparation.TrainTokenizer(documents, 300);
        using var objective = new RlvrObjective(tokenizer, new RlvrOptions());
        var prompt = objective.NextPrompt(null!);
        var problem = (ArithmeticProblem)prompt.Task;
        string text = tokenizer.Decode(prompt.PromptIds);
        Assert.Equal(problem.Solution + SpecialTokens.EndOfText, text + prompt.Demonstration);
        Assert.EndsWith($"is {problem.Answer}." + SpecialTokens.EndOfText, prompt.Demonstration);
        Assert.Equal(tokenizer.EndOfTextId, tokenizer.Encode(prompt.Demonstration!)[^1]);
    }

    [Fact]
    public void GammaIsValidated()
    {
        Assert.Throws<ArgumentException>(() => new GrpoConfig { HptGamma = 1.5 }.Validate());
        Assert.Throws<ArgumentException>(() => new GrpoConfig { HptGamma = 0, AdvantageEstimator = "gae" }.Validate());
    }
}
