using Rlpt.Evaluation;
using Rlpt.Objectives;
using Rlpt.Rewards;
using Rlpt.Tests.Objectives.Rlpt;
using Rlpt.Tests.Training.Rl;

namespace Rlpt.Tests.Objectives;

public sealed class ObjectiveRegistryTests
{
    [Fact]
    public void AProgramsOwnObjectiveIsFoundByNameAndEvaluatedLikeTheBuiltInOnes()
    {
        const string name = "digits-registered-by-a-test";
        var definition = new ObjectiveDefinition(name, "a test's objective", typeof(object),
            setup => new FixedPromptObjective("the", setup.Tokenizer, new StartsWithDigit()),
            (setup, result, _) => result.With(new ObjectiveResult(name, "one item", ["only"], [ObjectiveResult.Metric("answer", [0.5], score: true)])));
        ObjectiveRegistry.Register(definition);

        Assert.Contains(name, ObjectiveRegistry.Names);
        Assert.Same(definition, ObjectiveRegistry.Get(name));
        Assert.Contains("already registered", Assert.Throws<ArgumentException>(() => ObjectiveRegistry.Register(definition)).Message);

        using var corpus = new RlptTestCorpus();
        var (model, _) = GrpoLearningTests.TinyPolicy();
        using var _ = model;
        var result = CheckpointEvaluation.Run("m", model, corpus.Tokenizer, corpus.Data, RewardRegistry.Compose(new Dictionary<string, double> { ["prefix"] = 1 }),
            new EvaluationOptions { Objectives = [name], Tasks = 1, PerplexityWindows = 0, Arithmetic = null }, ObjectiveSetup.Defaults);
        Assert.Equal(0.5, Assert.Single(result.Objectives!).Metrics[0].Value.Mean);
    }
}
