using Rlpt.Data.Corpora.Arithmetic;
using Rlpt.Generation;
using Rlpt.Objectives.Rlvr;
using Rlpt.Tests.Training.Rl;
using Rlpt.Training.Rl;
using static TorchSharp.torch;

namespace Rlpt.Tests.Objectives.Rlvr;

public sealed class RlvrTests
{
    [Fact]
    public void TheRewardReadsTheConclusionAndScoresItContinuouslyOrExactly()
    {
        var answer = new Rational(7, 1);
        var continuous = new ArithmeticAnswerReward("continuous");
        // a = 6, b = 7: 1 − 0.5·min(1, 1) − 0.5·min(1 / (7 + 1e-6), 1).
        Assert.Equal(1 - 0.5 - 0.5 * (1 / (7 + 1e-6)), continuous.Score(" 3 + 4 = 7. So the value of 3 + 4 is 6.", answer).Reward, 12);
        Assert.Equal((1.0, true, true), continuous.Score(" 3 + 4 = 7. So the value of 3 + 4 is 14/2.", answer));
        Assert.Equal((0.0, false, false), continuous.Score(" 3 + 4 = 7.", answer));
        var binary = new ArithmeticAnswerReward("binary");
        Assert.Equal((0.0, true, false), binary.Score(" So the value of 3 + 4 is 6.", answer));
        Assert.Equal((1.0, true, true), binary.Score(" So the value of 3 + 4 is 7. So the value of 1 is 2.", answer));
    }

    [Fact]
    public void ProblemsArePureFunctionsOfTheirIndexNeverHeldOutAndCycleThroughTheLevels()
    {
        var (_, tokenizer) = GrpoLearningTests.TinyPolicy();
        using var objective = new RlvrObjective(tokenizer, new RlvrOptions { MinLevel = 1, MaxLevel = 3, Seed = 5 });
        using var again = new RlvrObjective(tokenizer, new RlvrOptions { MinLevel = 1, MaxLevel = 3, Seed = 5 });
        var problems = Enumerable.Range(0, 30).Select(i => objective.Problem(i)).ToArray();
        Assert.Equal(problems, Enumerable.Range(0, 30).Select(i => again.Problem(i)));
        Assert.Equal(Enumerable.Range(0, 30).Select(i => 1 + i % 3), problems.Select(p => p.Operations));
        Assert.All(problems, p => Assert.False(ArithmeticDocuments.IsHeldOut(p.Expression)));
        Assert.All(problems, p => Assert.Equal(ExpressionParser.Evaluate(p.Expression), p.Answer));
        Assert.True(problems.Select(p => p.Expression).Distinct().Count() > 25);
        Assert.Throws<ArgumentException>(() => new RlvrObjective(tokenizer, new RlvrOptions { Reward = "dense" }));
    }

    [Fact]
    public void RandomRewardsKeepTheStepsRewardsButNotTheirOwnersAndInvertedOnesFlipEveryAdvantage()
    {
        RolloutBatch Batch() => new(Enumerable.Range(0, 4).Select(g => new RolloutGroup(new RolloutPrompt([1], [], g, new Dictionary<string, string>()),
            Enumerable.Range(0, 8).Select(_ => new GenerationResult([1], [0], "", FinishReason.Stop, 1)).ToArray())).ToArray());
        var correct = Batch();
        var random = Batch();
        var inverted = Batch();
        var values = Enumerable.Range(0, 32).Select(i => (i * 37 % 11) / 10.0).ToArray();
        foreach (var batch in new[] { correct, random, inverted })
            for (int g = 0; g < 4; g++) values.AsSpan(g * 8, 8).CopyTo(batch.Groups[g].Rewards);

        RewardCorrectness.Apply(RewardCorrectness.Random, random, seed: 3);
        var shuffled = random.Groups.SelectMany(g => g.Rewards).ToArray();
        Assert.Equal(values.Order(), shuffled.Order());
        Assert.NotEqual(values, shuffled);
        var again = Batch();
        for (int g = 0; g < 4; g++) values.AsSpan(g * 8, 8).CopyTo(again.Groups[g].Rewards);
        RewardCorrectness.Apply(RewardCorrectness.Random, again, seed: 3);
        Assert.Equal(shuffled, again.Groups.SelectMany(g => g.Rewards));

        RewardCorrectness.Apply(RewardCorrectness.Inverted, inverted, seed: 0);
        foreach (var estimator in new[] { "grpo", "dr_grpo", "rloo" })
        {
            Tensor Advantages(RolloutBatch b) => AdvantageEstimators.Get(estimator).Compute(
                tensor(b.Groups.SelectMany(g => g.Rewards).Select(r => (float)r).ToArray(), [4, 8]));
            // −r and 1 − r give the same group-relative advantages: the mirror image of the correct ones.
            Assert.True(Advantages(inverted).allclose(-Advantages(correct), rtol: 1e-5, atol: 1e-6), estimator);
        }
        Assert.Throws<ArgumentException>(() => RewardCorrectness.Apply("noisy", correct, 0));
    }
}
