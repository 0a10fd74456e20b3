namespace Rlpt.Tests.Reliability;

/// <summary>
/// Tests that drive real rlpt processes hard (kills, fuzzing, soaks, full disks, remote rollouts): one collection that
/// runs alone, after the rest of the suite, its tests one after another. On 2 cores they would otherwise slow each
/// other and the rest (a browser's start timed out), and their latency and memory bounds would measure the load
/// of unrelated tests (a fuzz canary's p95 went from 7 ms to 1.6 s while others trained).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyProcesses
{
    public const string Name = "heavy processes";
}
