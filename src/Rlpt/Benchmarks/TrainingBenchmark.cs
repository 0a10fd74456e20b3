using System.Diagnostics;
using Rlpt.Modeling;
using Rlpt.Training;
using Rlpt.Training.Pretraining;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Benchmarks;

public sealed record TrainingBenchmarkResult(
    string Preset, long Parameters, int BatchSize, int SequenceLength, int Steps,
    double TokensPerSecond, double ModelGflops, double GemmCeilingGflops, double Ratio,
    double PeakResidentMegabytes, double? ResidentGrowthPercent);

/// <summary>
/// Training throughput on random tokens with the real <see cref="TrainingStep"/> (forward, backward, clipping,
/// AdamW). Model GFLOPS use <see cref="FlopsEstimate"/>; the ratio compares them with this process's GEMM ceiling.
/// With many steps it also watches resident memory for growth (TorchSharp frees native memory only on disposal).
/// </summary>
public static class TrainingBenchmark
{
    public static TrainingBenchmarkResult Run(string preset, ModelConfig config, int batchSize, int sequenceLength, int steps, Device device, Action<int>? onStep = null, int warmupSteps = 3)
    {
        double ceiling = GemmBenchmark.MeasureGflops(device);
        using var model = new CausalLM(config);
        model.InitializeWeights(0);
        model.to(device);
        model.train();
        using var optimizer = new AdamW(model.named_parameters());
        var step = new TrainingStep(model, optimizer, maxGradNorm: 1.0);
        var random = new Random(0);
        var windows = new long[batchSize * (sequenceLength + 1)];
        void One()
        {
            for (int i = 0; i < windows.Length; i++) windows[i] = random.Next(config.VocabSize);
            step.Run([windows], sequenceLength, 1e-4, device);
        }
        for (int i = 0; i < warmupSteps; i++) One();

        // Resident memory is compared from a point where allocator pools have settled (10% into the run).
        int settleAt = Math.Max(1, steps / 10);
        long settled = 0;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            One();
            if (i + 1 == settleAt) settled = ResidentBytes();
            onStep?.Invoke(i + 1);
        }
        double seconds = watch.Elapsed.TotalSeconds;
        double tokensPerSecond = (double)batchSize * sequenceLength * steps / seconds;
        double modelGflops = FlopsEstimate.TrainingFlopsPerToken(config, sequenceLength) * tokensPerSecond / 1e9;
        double? growth = steps >= 20 ? 100.0 * (ResidentBytes() - settled) / settled : null;
        return new TrainingBenchmarkResult(preset, model.ParameterCount, batchSize, sequenceLength, steps,
            tokensPerSecond, modelGflops, ceiling, modelGflops / ceiling, PeakResidentBytes() / 1e6, growth);
    }

    public static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    public static long PeakResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
