using Rlpt.Decision.Benchmarks;
using Rlpt.Decision.Environments.Control;
using Rlpt.Decision.Offline.Algorithms;
using static TorchSharp.torch;

namespace Rlpt.Tests.Decision.Benchmarks;

public sealed class OfflineBenchmarkTests
{
    [Fact]
    public void EveryAlgorithmAndEveryTaskIsMeasured()
    {
        var phases = new List<string>();
        var results = OfflineBenchmark.Run(updates: 1, CPU, phases.Add, warmup: 0);
        Assert.Equal(OfflineAlgorithms.Names.Count + 2 + ControlEnvironments.Names.Count, results.Count); // bc and cql run on both kinds of actions
        Assert.All(results, r => Assert.True(r.UpdatesPerSecond > 0 && double.IsFinite(r.UpdatesPerSecond), r.Algorithm));
        Assert.Equal(results.Count, phases.Count);
    }
}
