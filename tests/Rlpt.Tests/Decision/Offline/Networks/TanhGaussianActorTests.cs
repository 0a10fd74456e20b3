using Rlpt.Decision.Offline.Algorithms;
using Rlpt.Decision.Offline.Networks;
using static TorchSharp.torch;

namespace Rlpt.Tests.Decision.Offline.Networks;

[Collection(GlobalTorchRandom.Name)]
public sealed class TanhGaussianActorTests
{
    [Fact]
    public void TheSquashedDensityIntegratesToOneOverTheActionBox()
    {
        manual_seed(4);
        using var actor = new TanhGaussianActor(2, new ActionScale(-2, 2, 1), hidden: 16, depth: 1);
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        const int points = 20_000;
        var grid = linspace(-2 + 2e-4, 2 - 2e-4, points).unsqueeze(1);
        var observation = tensor(new float[] { 0.3f, -1.1f }).expand(points, 2);
        double mass = actor.LogProb(observation, grid).exp().sum().item<float>() * (4.0 / points);
        Assert.InRange(mass, 0.98, 1.02);
    }

    [Fact]
    public void ASampledActionsLogProbabilityIsTheOneItsLikelihoodGives()
    {
        manual_seed(5);
        using var actor = new TanhGaussianActor(3, new ActionScale(-1, 3, 2), hidden: 16, depth: 2);
        using var scope = NewDisposeScope();
        using var guard = no_grad();
        var observations = randn(64, 3);
        var (actions, logProb) = actor.Sample(observations);
        Assert.True(actions.min().item<float>() >= -1 && actions.max().item<float>() <= 3);
        Assert.True(actor.LogProb(observations, actions).allclose(logProb, rtol: 1e-3, atol: 1e-3));
    }

    [Fact]
    public void TheExpectileLossWeighsPositiveAndNegativeErrorsByTauAndOneMinusTau()
    {
        using var scope = NewDisposeScope();
        // u = (1, −2), τ = 0.7: (0.7·1² + 0.3·2²) / 2 = 0.95.
        Assert.Equal(0.95, Iql.ExpectileLoss(tensor(new float[] { 1, -2 }), 0.7).item<float>(), 5);
    }
}
