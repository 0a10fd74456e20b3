using System.ComponentModel;
using System.Diagnostics;
using Rlpt.Cli.Infrastructure;
using Rlpt.Cli.Interop.LlamaCpp;
using Rlpt.Generation;
using Rlpt.Interop.Gguf;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

public sealed class BenchGgufSettings : CommonSettings
{
    [CommandOption("--model <DIR>")] [Description("Model folder in Hugging Face layout.")] public string? Model { get; init; }
    [CommandOption("--dtype <TYPE>")] [Description("GGUF weight type for llama.cpp: f32 or f16. Default: f32.")] [DefaultValue("f32")] public string Dtype { get; init; } = "f32";
    [CommandOption("--batch-sizes <LIST>")] [Description("Comma-separated. Default: 1,8.")] [DefaultValue("1,8")] public string BatchSizes { get; init; } = "1,8";
    [CommandOption("--new-tokens <N>")] [Description("Tokens generated per row. Default: 64.")] [DefaultValue(64)] public int NewTokens { get; init; } = 64;
    [CommandOption("--prompt-tokens <N>")] [Description("Prompt length per row. Default: 32.")] [DefaultValue(32)] public int PromptTokens { get; init; } = 32;
    [CommandOption("--json <FILE>")] [Description("Also write the figures as JSON.")] public string? Json { get; init; }
}

/// <summary>One batch size: tokens/s of each engine, llama.cpp's speed-up over Rlpt, rows whose greedy tokens agree.</summary>
/// <param name="RlptModulesTokensPerSecond">At batches the decoding kernel runs, Rlpt with it off (the module path), in the same run.</param>
public sealed record GgufBenchmarkResult(int BatchSize, double RlptTokensPerSecond, double? RlptModulesTokensPerSecond, double LlamaCppTokensPerSecond, double LlamaCppSpeedup, int IdenticalRows);

/// <summary>
/// rlpt bench gguf: the model exported to a temporary GGUF, then greedy generation timed in Rlpt (BatchGenerator)
/// and in llama.cpp (LLamaSharp, all rows in one llama_decode per step) on the same prompt ids, one run each; at the
/// batches its decoding kernel runs, Rlpt also runs with it off, so the module path it replaces is timed in the same run.
/// tokens/s = rows × new tokens / wall time, prefill included, fastest of 3 alternating repeats after a warm-up at each
/// batch size; every row generates exactly --new-tokens tokens.
/// </summary>
public sealed class BenchGgufCommand : Command<BenchGgufSettings>
{
    private const int Repeats = 3;

    public override int Execute(CommandContext context, BenchGgufSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new ArgumentException("--model is required.");
        var batches = settings.BatchSizes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out var b) && b > 0 ? b : throw new ArgumentException($"--batch-sizes: '{s}' is not a positive integer.")).ToArray();
        if (batches.Length == 0) throw new ArgumentException("--batch-sizes is empty.");
        if (settings.NewTokens < 1 || settings.PromptTokens < 1) throw new ArgumentException("--new-tokens and --prompt-tokens must be positive.");
        var type = GgufExporter.ParseFloatType(settings.Dtype);
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);
        int threads = settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount;
        var (model, tokenizer) = ModelFolder.Load(settings.Model, device);
        using var _ = model;
        if (settings.PromptTokens + settings.NewTokens > model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"--prompt-tokens + --new-tokens exceeds the model's context of {model.Config.MaxPositionEmbeddings}.");

        var gguf = Path.Combine(Path.GetTempPath(), $"rlpt-bench-{Guid.NewGuid():N}.gguf");
        try
        {
            GgufExporter.Export(model, tokenizer, gguf, type, "bench");
            using var llamaCpp = new LlamaCppModel(gguf, threads);
            var generator = new BatchGenerator(model, tokenizer);
            var random = new Random(0);
            int[] Prompt() => Enumerable.Range(0, settings.PromptTokens).Select(_ => random.Next(SpecialTokens.All.Count, tokenizer.VocabSize)).ToArray();
            var options = new SamplingOptions { MaxNewTokens = settings.NewTokens, Temperature = 0, StopAtEndOfText = false };

            // Warm-up at every batch size: first calls pay for JIT, thread pools and allocations on both sides.
            foreach (var batch in batches)
            {
                var warm = Enumerable.Range(0, batch).Select(_ => Prompt()).ToArray();
                var requests = warm.Select(p => new GenerationRequest(p, options)).ToArray();
                generator.Generate(requests);
                model.DecodingKernel = false;
                if (batch <= CausalLM.DecodingKernelMaxRows) generator.Generate(requests);
                model.DecodingKernel = true;
                llamaCpp.GenerateGreedy(warm, settings.NewTokens);
            }

            var results = ProgressDisplay.Run(settings.Quiet, display =>
            {
                var bar = display.AddBar("bench gguf", batches.Length);
                var rows = new List<GgufBenchmarkResult>();
                foreach (var batch in batches)
                {
                    var prompts = Enumerable.Range(0, batch).Select(_ => Prompt()).ToArray();
                    // Alternating repeats, the fastest of each kept: noise on a shared machine only ever adds time.
                    IReadOnlyList<GenerationResult> rlpt = [];
                    int[][] llama = [];
                    double rlptSeconds = double.MaxValue, modulesSeconds = double.MaxValue, llamaSeconds = double.MaxValue;
                    var requests = prompts.Select(p => new GenerationRequest(p, options)).ToArray();
                    for (int repeat = 0; repeat < Repeats; repeat++)
                    {
                        var watch = Stopwatch.StartNew();
                        rlpt = generator.Generate(requests, Interrupt.Token);
                        rlptSeconds = Math.Min(rlptSeconds, watch.Elapsed.TotalSeconds);
                        if (batch <= CausalLM.DecodingKernelMaxRows)
                        {
                            model.DecodingKernel = false;
                            watch.Restart();
                            generator.Generate(requests, Interrupt.Token);
                            modulesSeconds = Math.Min(modulesSeconds, watch.Elapsed.TotalSeconds);
                            model.DecodingKernel = true;
                        }
                        watch.Restart();
                        llama = llamaCpp.GenerateGreedy(prompts, settings.NewTokens);
                        llamaSeconds = Math.Min(llamaSeconds, watch.Elapsed.TotalSeconds);
                    }
                    double tokens = (double)batch * settings.NewTokens;
                    int identical = Enumerable.Range(0, batch).Count(i => rlpt[i].TokenIds.SequenceEqual(llama[i]));
                    rows.Add(new GgufBenchmarkResult(batch, tokens / rlptSeconds, batch <= CausalLM.DecodingKernelMaxRows ? tokens / modulesSeconds : null, tokens / llamaSeconds, rlptSeconds / llamaSeconds, identical));
                    bar.Update(rows.Count, $"batch {batch}");
                }
                return rows;
            });
            BenchOutput.Write($"greedy tokens/s, Rlpt vs llama.cpp ({model.Config.ModelType}, GGUF {type}, {settings.PromptTokens}+{settings.NewTokens} tokens, {threads} threads)",
                results, settings.Json, new { model = settings.Model, gguf_type = type.ToString(), prompt_tokens = settings.PromptTokens, new_tokens = settings.NewTokens, llama_cpp_threads = threads });
        }
        finally
        {
            File.Delete(gguf);
        }
        return 0;
    }
}
