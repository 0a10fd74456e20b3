using Rlpt.Decision.Environments;
using Rlpt.Decision.InContext;
using Rlpt.Decision.InContext.Ad;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Tests.Decision.InContext.Ad;

public sealed class AdAlgorithmTests
{
    private static readonly TaskFamily Room = new() { Name = "darkroom", Size = 5, Horizon = 8, Start = "center" };

    private static InContextTrainingConfig Tiny(int steps) => new()
    {
        Method = "ad", MaxSteps = steps, BatchSize = 32, SequenceLength = 32, HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 2,
        LearningRate = 3e-3, WarmupSteps = 5, EvalEvery = 0, SaveEvery = 0,
    };

    [Fact]
    public void TheWindowLossIsTheMeanCrossEntropyOfTheSourcesNextAction()
    {
        var data = HistoryCollection.Collect(Room, "epsilon", 1, 6, 0, seed: 1);
        using var algorithm = new AdAlgorithm(Tiny(1), data, null, CPU);
        using var scope = NewDisposeScope();
        (int, int)[] windows = [(0, 0), (3, 9)];
        var (loss, _) = AdAlgorithm.WindowLoss(algorithm.Policy, data, windows, 32, CPU);
        var (tokens, targets) = AdTokens.Build(data, windows, 32, CPU);
        var logProbs = algorithm.Policy.Forward(tokens).log_softmax(-1);
        double expected = 0;
        for (int r = 0; r < 2; r++)
            for (int j = 0; j < 32; j++) expected -= logProbs[r, j, targets[r, j].item<long>()].item<float>();
        Assert.Equal(expected / 64, loss.item<float>(), 5);
        Assert.Throws<ArgumentException>(() => new AdAlgorithm(Tiny(1) with { SequenceLength = 49 }, data, null, CPU));
    }

    [Fact]
    public void AdLearnsTheSourceAndImprovesInContextOnItsTasks()
    {
        var train = HistoryCollection.Collect(Room, "epsilon", historiesPerTask: 20, episodes: 20, actionNoise: 0, seed: 0);
        var heldOut = HistoryCollection.Collect(Room, "epsilon", 1, 20, 0, seed: 0, heldOut: true);
        using var algorithm = new AdAlgorithm(Tiny(200), train, heldOut, CPU);
        var context = new StepContext("", _ => { }, CancellationToken.None);
        var first = algorithm.Step(0, context);
        StepOutcome last = first;
        for (int step = 1; step < 200; step++) last = algorithm.Step(step, context);
        Assert.True((double)last.Metrics["eval_loss"] < 1.3, $"held-out loss {last.Metrics["eval_loss"]:F3} (uniform: ln 5 = 1.609)");
        algorithm.Policy.eval();
        var rooms = Room.DarkRooms(heldOut: false).Select(r => r.Clone()).ToArray();
        var returns = AdEvaluation.Play(algorithm.Policy, rooms, new AdEvaluationOptions { Episodes = 20, Greedy = false }, CPU);
        double early = returns.Average(task => task.Take(3).Average()), late = returns.Average(task => task.TakeLast(3).Average());
        // The source's histories go from random (~0.35) to optimal (~6.5) over 20 episodes; so should the model's play.
        Assert.True(late > early + 1, $"in-context returns: first 3 episodes {early:F2}, last 3 {late:F2}");
    }
}
