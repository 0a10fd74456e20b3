using Rlpt.Telemetry;

namespace Rlpt.Tests.Telemetry;

public sealed class MetricsWriterTests
{
    [Fact]
    public void ResumingRepairsBothStepLogsDroppingLaterStepsAndTornLines()
    {
        using var dir = new TestDirectory();
        // As a kill -9 leaves them: steps past the checkpoint (4), and a last line cut mid-write.
        File.WriteAllText(dir.File("metrics.jsonl"), "{\"step\":3,\"loss\":1}\n{\"step\":4,\"loss\":0.9}\n{\"step\":5,\"loss\":0.8}\n{\"step\":6,\"lo");
        File.WriteAllText(dir.File("completions.jsonl"), "{\"step\":2,\"completion\":\"a\"}\n{\"step\":4,\"completion\":\"b\"}\n{\"step\":6,\"completion\":\"c\"}\n{\"step\":6,\"comp");
        MetricsWriter.TruncateAfter(dir.Path, 4);
        Assert.Equal(["{\"step\":3,\"loss\":1}", "{\"step\":4,\"loss\":0.9}"], File.ReadAllLines(dir.File("metrics.jsonl")));
        Assert.Equal(["{\"step\":2,\"completion\":\"a\"}", "{\"step\":4,\"completion\":\"b\"}"], File.ReadAllLines(dir.File("completions.jsonl")));
        Assert.EndsWith("\n", File.ReadAllText(dir.File("metrics.jsonl")));
        // A file without the torn line or later steps is left as it was; a missing one stays missing.
        File.Delete(dir.File("completions.jsonl"));
        MetricsWriter.TruncateAfter(dir.Path, 4);
        Assert.Equal(2, MetricsWriter.Read(dir.File("metrics.jsonl")).Count);
        Assert.False(File.Exists(dir.File("completions.jsonl")));
    }
}
