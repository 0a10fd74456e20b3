namespace Rlpt.Tests.Decision.Offline;

/// <summary>
/// The offline algorithms seed LibTorch's global generator, as d3rlpy and CORL seed torch: a run is exact in its own
/// process. Tests that rely on those seeds (learning thresholds, resume equality) run alone, since any module built by
/// a test running beside them draws from the same generator.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalTorchRandom
{
    public const string Name = "global torch random";
}
