using System.Diagnostics;
using Rlpt.Generation;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Rlpt.Benchmarks;

/// <param name="ModulesTokensPerSecond">At batches the decoding kernel runs, the same requests with it off (<see cref="CausalLM.DecodingKernel"/>): the module path, timed in the same run.</param>
public sealed record GenerationBenchmarkResult(int BatchSize, int PromptTokens, int NewTokens, double Seconds, double TokensPerSecond, double? ModulesTokensPerSecond = null);

/// <summary>
/// Decoding throughput of <see cref="BatchGenerator"/>: every row generates exactly the requested number of
/// tokens (end-of-text ignored), so tokens/s = batch × new tokens / wall time, prefill included.
/// </summary>
public static class GenerationBenchmark
{
    public static IReadOnlyList<GenerationBenchmarkResult> Run(ModelConfig config, Tokenizer tokenizer, IReadOnlyList<int> batchSizes, int promptTokens, int newTokens, Device device, Action<GenerationBenchmarkResult>? onResult = null)
    {
        using var model = new CausalLM(config);
        model.InitializeWeights(0);
        model.to(device);
        model.eval();
        var generator = new BatchGenerator(model, tokenizer);
        var random = new Random(0);
        GenerationRequest Request(int seed) => new(
            Enumerable.Range(0, promptTokens).Select(_ => random.Next(SpecialTokens.All.Count, config.VocabSize)).ToArray(),
            new SamplingOptions { MaxNewTokens = newTokens, Temperature = 1.0, StopAtEndOfText = false, Seed = seed });
        generator.Generate([Request(0)]); // warm-up (one row: the kernel)
        model.DecodingKernel = false;
        generator.Generate([Request(0)]); // and the modules
        model.DecodingKernel = true;
        var results = new List<GenerationBenchmarkResult>();
        foreach (var batch in batchSizes)
        {
            var requests = Enumerable.Range(0, batch).Select(Request).ToArray();
            double Time(bool kernel)
            {
                model.DecodingKernel = kernel;
                var watch = Stopwatch.StartNew();
                generator.Generate(requests);
                return watch.Elapsed.TotalSeconds;
            }
            double seconds = Time(kernel: true);
            double? modules = batch <= CausalLM.DecodingKernelMaxRows ? batch * newTokens / Time(kernel: false) : null;
            model.DecodingKernel = true;
            var result = new GenerationBenchmarkResult(batch, promptTokens, newTokens, seconds, batch * newTokens / seconds, modules);
            results.Add(result);
            onResult?.Invoke(result);
        }
        return results;
    }
}
