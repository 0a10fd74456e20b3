using Rlpt.Benchmarks;
using Rlpt.Modeling;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

/// <summary>rlpt bench gemm: this process's fp32 matmul ceiling (2048³ after warm-up).</summary>
public sealed class BenchGemmCommand : Command<BenchSettings>
{
    public override int Execute(CommandContext context, BenchSettings settings, CancellationToken cancellationToken)
    {
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        var gflops = GemmBenchmark.MeasureGflops(device);
        BenchOutput.Write("fp32 GEMM 2048³", [new { gemm_gflops = gflops }], settings.Json);
        return 0;
    }
}
