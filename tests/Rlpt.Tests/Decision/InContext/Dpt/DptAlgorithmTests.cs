using Rlpt.Decision.Environments;
using Rlpt.Decision.InContext;
using Rlpt.Decision.InContext.Dpt;
using Rlpt.Decision.Models;
using Rlpt.Telemetry;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Tests.Decision.InContext.Dpt;

public sealed class DptAlgorithmTests
{
    private static readonly TaskFamily Room = new() { Name = "darkroom", Size = 4, Horizon = 10 };

    private static InContextTrainingConfig Tiny(int steps) => new()
    {
        MaxSteps = steps, BatchSize = 32, HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 2, WarmupSteps = 5,
        LearningRate = 3e-3, EvalEvery = 0, SaveEvery = 0, Seed = 11,
    };

    [Fact]
    public void ThePrefixLossIsTheMeanCrossEntropyOfTheOptimalActionAtEveryPosition()
    {
        var data = ContextSampling.Build(Room, 4, 10, seed: 1, heldOut: false);
        using var algorithm = new DptAlgorithm(Tiny(1), data, null, CPU);
        using var scope = NewDisposeScope();
        int[] samples = [0, 3];
        var (loss, _) = DptAlgorithm.PrefixLoss(algorithm.Policy, data, samples, CPU);
        var logProbs = algorithm.Policy.Forward(DptTokens.Build(data, samples, 10, CPU)).log_softmax(-1);
        double expected = 0;
        for (int r = 0; r < 2; r++)
            for (int j = 0; j <= 10; j++)
                expected -= logProbs[r, j, data.OptimalActions[samples[r]]].item<float>();
        Assert.Equal(expected / 22, loss.item<float>(), 5);
    }

    [Fact]
    public void APredictionSeesOnlyTheQueryAndTheTransitionsBeforeIt()
    {
        var data = ContextSampling.Build(Room, 2, 10, seed: 2, heldOut: false);
        using var algorithm = new DptAlgorithm(Tiny(1), data, null, CPU);
        algorithm.Policy.eval();
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        var tokens = DptTokens.Build(data, [0], 10, CPU);
        var before = algorithm.Policy.Forward(tokens);
        var changed = tokens.clone();
        changed[0, 7] = randn(changed.shape[2]);
        var after = algorithm.Policy.Forward(changed);
        Assert.True(before.narrow(1, 0, 7).allclose(after.narrow(1, 0, 7), rtol: 1e-5, atol: 1e-6), "positions before the change must not move");
        Assert.False(before.narrow(1, 7, 4).allclose(after.narrow(1, 7, 4)), "positions from the change on must move");
    }

    [Fact]
    public void IncrementalDecodingWithTheCacheEqualsTheFullForward()
    {
        var family = new TaskFamily { Name = "bandit_gaussian", Horizon = 12 };
        var data = ContextSampling.Build(family, 3, 12, seed: 3, heldOut: false);
        using var algorithm = new DptAlgorithm(Tiny(1), data, null, CPU);
        var model = algorithm.Policy;
        model.eval();
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        var tokens = DptTokens.Build(data, [0, 1, 2], 12, CPU);
        var full = model.Forward(tokens);
        using var cache = model.NewCache(3, 13);
        for (int j = 0; j <= 12; j++)
        {
            var step = model.Forward(tokens.narrow(1, j, 1), cache);
            Assert.True(step.select(1, 0).allclose(full.select(1, j), rtol: 1e-4, atol: 1e-5), $"position {j} differs");
        }
    }

    [Fact]
    public void DptLearnsToNameTheBestArmFromTheContext()
    {
        // Two arms with little noise, so 150 small steps suffice (five arms at σ = 0.3 need far more training).
        var family = new TaskFamily { Name = "bandit_gaussian", ArmsOverride = 2, NoiseOverride = 0.1, Horizon = 10 };
        var train = ContextSampling.Build(family, 2000, 10, seed: 4, heldOut: false);
        var heldOut = ContextSampling.Build(family, 300, 10, seed: 4, heldOut: true);
        using var algorithm = new DptAlgorithm(Tiny(150), train, heldOut, CPU);
        var (lossBefore, _) = DptAlgorithm.Evaluate(algorithm.Policy, heldOut, 100, CPU);
        var context = new StepContext("", _ => { }, CancellationToken.None);
        for (int step = 0; step < 150; step++) algorithm.Step(step, context);
        var (lossAfter, _) = DptAlgorithm.Evaluate(algorithm.Policy, heldOut, 100, CPU);
        Assert.True(lossAfter < lossBefore - 0.15, $"held-out loss {lossBefore:F3} → {lossAfter:F3}");
        // With the whole context it names the best arm far more often than the empty prefix can (chance is 1/2).
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        algorithm.Policy.eval();
        var (_, correct) = DptAlgorithm.PrefixLoss(algorithm.Policy, heldOut, Enumerable.Range(0, 300).ToArray(), CPU);
        double empty = correct.select(1, 0).mean().item<float>(), full = correct.select(1, -1).mean().item<float>();
        Assert.True(full > 0.8 && full > empty + 0.2, $"accuracy with an empty context {empty:F2}, with 10 pulls {full:F2}");
    }

    [Fact]
    public void AResumedRunEqualsAnUninterruptedOneAndTheModelFolderLoadsBack()
    {
        var data = ContextSampling.Build(Room, 200, 10, seed: 5, heldOut: false);
        using var straight = new TestDirectory();
        using var split = new TestDirectory();
        using (var algorithm = new DptAlgorithm(Tiny(6), data, null, CPU))
            new TrainingRun(straight.Path).Run(algorithm, resume: false);
        using (var algorithm = new DptAlgorithm(Tiny(6) with { SaveEvery = 3 }, data, null, CPU))
        {
            using var stop = new CancellationTokenSource();
            new TrainingRun(split.Path) { OnStep = s => { if (s.Step == 3) stop.Cancel(); } }.Run(algorithm, resume: false, stop.Token);
        }
        using (var algorithm = new DptAlgorithm(Tiny(6) with { SaveEvery = 3 }, data, null, CPU))
            new TrainingRun(split.Path).Run(algorithm, resume: true);
        var a = MetricsWriter.Read(Path.Combine(straight.Path, MetricsWriter.FileName)).Select(m => m["loss"].GetDouble()).ToArray();
        var b = MetricsWriter.Read(Path.Combine(split.Path, MetricsWriter.FileName)).Select(m => m["loss"].GetDouble()).ToArray();
        Assert.Equal(a, b);

        using var first = TransitionModelFolder.Open(Path.Combine(straight.Path, TrainingRun.ModelFolderName), CPU);
        using var second = TransitionModelFolder.Open(Path.Combine(split.Path, TrainingRun.ModelFolderName), CPU);
        Assert.Equal(Room, first.Config.Environment);
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        var tokens = DptTokens.Build(data, [0, 1], 10, CPU);
        Assert.True(first.Forward(tokens).allclose(second.Forward(tokens)), "resumed and uninterrupted runs must end with the same weights");
    }

    [Fact]
    public void AModelFolderOfAnotherShapeOrKindIsRefused()
    {
        using var dir = new TestDirectory();
        var data = ContextSampling.Build(Room, 4, 10, seed: 6, heldOut: false);
        using var small = new DptAlgorithm(Tiny(1), data, null, CPU);
        small.Model.Save(dir.Path);
        using var wide = new DptAlgorithm(Tiny(1) with { HiddenSize = 32 }, data, null, CPU);
        Assert.Contains("different model", Assert.Throws<InvalidDataException>(() => wide.Model.Load(dir.Path)).Message);
        File.WriteAllText(Path.Combine(dir.Path, TransitionModelFolder.ConfigFile), """{"model_type": "llama"}""");
        Assert.Contains("not a transition_transformer", Assert.Throws<InvalidDataException>(() => TransitionModelFolder.Open(dir.Path, CPU)).Message);
    }
}
