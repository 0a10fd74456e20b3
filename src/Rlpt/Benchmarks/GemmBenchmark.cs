using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Benchmarks;

/// <summary>
/// The fp32 GEMM ceiling of this process: GFLOPS of an n×n×n matmul after warm-up (the first calls are much
/// slower while LibTorch spins up its threads). Training throughput is reported as a ratio to this figure.
/// </summary>
public static class GemmBenchmark
{
    public static double MeasureGflops(Device device, int size = 2048, int warmup = 3, int repeats = 10)
    {
        using var scope = NewDisposeScope();
        var a = randn(size, size, device: device);
        var b = randn(size, size, device: device);
        for (int i = 0; i < warmup; i++) a.matmul(b).Dispose();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < repeats; i++) a.matmul(b).Dispose();
        if (device.type == DeviceType.CUDA) cuda.synchronize();
        return 2.0 * size * size * (double)size * repeats / watch.Elapsed.TotalSeconds / 1e9;
    }
}
