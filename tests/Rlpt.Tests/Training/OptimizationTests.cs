using Rlpt.Training;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training;

public sealed class OptimizationTests
{
    [Fact]
    public void ScheduleWarmsUpLinearlyThenFollowsTheCosine()
    {
        var schedule = new LearningRateSchedule(PeakLearningRate: 1.0, MinLearningRate: 0.1, WarmupSteps: 4, TotalSteps: 14);
        Assert.Equal(0.25, schedule.At(0), 12);
        Assert.Equal(1.0, schedule.At(3), 12);
        Assert.Equal(1.0, schedule.At(4), 12);                   // cosine starts at the peak
        Assert.Equal(0.1 + 0.45 * (1 + Math.Cos(Math.PI * 0.5)), schedule.At(9), 12); // halfway: 0.55
        Assert.Equal(0.55, schedule.At(9), 12);
        Assert.Equal(0.1, schedule.At(14), 12);
    }

    [Fact]
    public void AdamWStepMatchesHandComputedUpdate()
    {
        using var scope = NewDisposeScope();
        var matrix = new Parameter(tensor(new float[] { 1f, -2f, 3f, 0.5f }, [2, 2]));
        var vector = new Parameter(tensor(new float[] { 1f, 1f }));
        using var optimizer = new AdamW([("m", matrix), ("v", vector)], beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1);
        matrix.grad = tensor(new float[] { 0.1f, 0.2f, -0.3f, 0f }, [2, 2]);
        vector.grad = tensor(new float[] { 2f, -4f });
        optimizer.StepWith(0.01);
        // Step 1: m̂ = g, v̂ = g², so the update is lr·g/(|g| + eps) = ±lr (0 where g = 0); decay only on matrices.
        float[] expectedMatrix = [1f * (1 - 0.001f) - 0.01f, -2f * (1 - 0.001f) - 0.01f, 3f * (1 - 0.001f) + 0.01f, 0.5f * (1 - 0.001f)];
        float[] expectedVector = [1f - 0.01f, 1f + 0.01f];
        Assert.Equal(expectedMatrix, matrix.data<float>().ToArray(), (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal(expectedVector, vector.data<float>().ToArray(), (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal(1, optimizer.Step);
    }
}
