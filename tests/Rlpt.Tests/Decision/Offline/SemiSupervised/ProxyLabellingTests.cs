using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.SemiSupervised;

namespace Rlpt.Tests.Decision.Offline.SemiSupervised;

[Collection(GlobalTorchRandom.Name)]
public sealed class ProxyLabellingTests
{
    [Fact]
    public void AnInverseDynamicsModelFromTheWorstTenthRecoversCartPolesHiddenActions()
    {
        // Balancing controller with 30 % random actions: returns vary, and the push is visible in the velocity change.
        var data = OfflineTestData.CartPole((o, r) => r.NextDouble() < 0.3 ? [r.Next(2)] : OfflineTestData.Balance(o), 6000, seed: 4);
        var result = ProxyLabelling.Relabel(data, new CartPole().Actions, labelledShare: 0.1, fromWorstShare: 0.5, seed: 1, steps: 800);
        Assert.Equal(data.Episodes.Count, result.LabelledEpisodes + result.UnlabelledEpisodes);
        Assert.InRange(result.LabelledEpisodes, 1, data.Episodes.Count / 2);
        Assert.True(result.ActionAgreement > 0.95, $"agreement {result.ActionAgreement:F3}");
        // Labelled trajectories keep their true actions, all from the worse-returning half.
        var returns = data.EpisodeReturns();
        double median = returns.Order().ElementAt(returns.Length / 2);
        Assert.All(result.LabelledOnly.EpisodeReturns(), r => Assert.True(r <= median));
        Assert.Equal(result.LabelledEpisodes, result.LabelledOnly.Episodes.Count);
        Assert.Equal(data.Observations, result.Dataset.Observations);
        Assert.Equal(data.Rewards, result.Dataset.Rewards);
        Assert.Throws<ArgumentException>(() => ProxyLabelling.Relabel(data, new CartPole().Actions, 0, 0.5, 1));
    }
}
