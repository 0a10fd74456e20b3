using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

/// <summary>Float64 tensors from literals and tolerant comparison, so hand-computed values can be checked tightly.</summary>
internal static class RlTensors
{
    public static Tensor Matrix(double[,] values) =>
        tensor(values.Cast<double>().ToArray(), [values.GetLength(0), values.GetLength(1)], ScalarType.Float64);

    public static void AssertClose(double[] expected, Tensor actual, double tolerance = 1e-6) =>
        Assert.Equal(expected, actual.cpu().to_type(ScalarType.Float64).data<double>().ToArray(), (x, y) => Math.Abs(x - y) < tolerance);

    public static void AssertClose(double expected, Tensor actual, double tolerance = 1e-6) =>
        Assert.Equal(expected, actual.cpu().to_type(ScalarType.Float64).item<double>(), tolerance);
}
