using System.ComponentModel;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Rlpt.Cli.Infrastructure;
using Rlpt.Modeling;
using Rlpt.Serving;
using Spectre.Console.Cli;

namespace Rlpt.Cli.Commands.Bench;

public sealed class BenchServeSettings : CommonSettings
{
    [CommandOption("--model <DIR>")] [Description("Model folder in Hugging Face layout.")] public string? Model { get; init; }
    [CommandOption("--clients <LIST>")] [Description("Concurrent clients per level, comma-separated. Default: 1,8,32.")] [DefaultValue("1,8,32")] public string Clients { get; init; } = "1,8,32";
    [CommandOption("--requests <N>")] [Description("Requests per level. Default: 64.")] [DefaultValue(64)] public int Requests { get; init; } = 64;
    [CommandOption("--max-tokens <LIST>")] [Description("max_tokens of the requests, comma-separated and taken in turn (e.g. 16,128 mixes short and long). Default: 64.")] [DefaultValue("64")] public string MaxTokens { get; init; } = "64";
    [CommandOption("--scheduler <LIST>")] [Description("Engine schedulers to measure in turn, comma-separated: continuous, static. Default: continuous,static.")] [DefaultValue("continuous,static")] public string Scheduler { get; init; } = "continuous,static";
    [CommandOption("--prompt <TEXT>")] [Description("Prompt of every request. Default: \"Once upon a time\".")] [DefaultValue("Once upon a time")] public string Prompt { get; init; } = "Once upon a time";
    [CommandOption("--max-batch-size <N>")] [Description("Server's batch limit. Default: 32.")] [DefaultValue(32)] public int MaxBatchSize { get; init; } = 32;
    [CommandOption("--json <FILE>")] [Description("Also write the figures as JSON.")] public string? Json { get; init; }
}

/// <summary>Figures of one concurrency level.</summary>
public sealed record ServeBenchmarkResult(string Scheduler, int Clients, int Requests, long Batches, double Seconds, double RequestsPerSecond, double TokensPerSecond, double P50Ms, double P95Ms);

/// <summary>
/// rlpt bench serve: starts the OpenAI server in-process on loopback and drives /v1/completions with concurrent
/// HTTP clients (each sends its next request when the previous answer arrives), so the figures include HTTP,
/// JSON and the engine's batching, as a real client sees them.
/// </summary>
public sealed class BenchServeCommand : AsyncCommand<BenchServeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, BenchServeSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new ArgumentException("--model is required.");
        int[] Positive(string list, string flag) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out var c) && c > 0 ? c : throw new ArgumentException($"{flag}: '{s}' is not a positive integer.")).ToArray();
        var levels = Positive(settings.Clients, "--clients");
        var maxTokens = Positive(settings.MaxTokens, "--max-tokens");
        var schedulers = settings.Scheduler.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var scheduler in schedulers) (new EngineOptions { Scheduler = scheduler }).Validate();
        if (settings.Requests < 1 || levels.Length == 0 || maxTokens.Length == 0 || schedulers.Length == 0) throw new ArgumentException("--requests, --clients, --max-tokens and --scheduler must not be empty.");
        var device = ComputeDevice.Configure(settings.Device, settings.Threads);

        var results = new List<ServeBenchmarkResult>();
        async Task Measure(ProgressDisplay display)
        {
            var bar = display.AddBar("bench serve", levels.Length * schedulers.Length);
            foreach (var scheduler in schedulers)
            {
                await using var local = LocalChatModel.Load(settings.Model, device,
                    new EngineOptions { MaxBatchSize = settings.MaxBatchSize, QueueSize = Math.Max(levels.Max(), 1), Scheduler = scheduler });
                await using var server = new OpenAiServer(local.Engine, new ServerOptions { Port = 0, ModelName = "bench" });
                await server.StartAsync(Interrupt.Token);
                using var http = new HttpClient { BaseAddress = new Uri(server.BaseAddress + "/"), Timeout = Timeout.InfiniteTimeSpan };

                async Task<(double Ms, int Tokens)> Send(int request)
                {
                    var body = new { model = "bench", prompt = settings.Prompt, max_tokens = maxTokens[request % maxTokens.Length], temperature = 0, ignore_eos = true };
                    var watch = Stopwatch.StartNew();
                    using var response = await http.PostAsJsonAsync("completions", body, Interrupt.Token);
                    var json = await response.Content.ReadAsStringAsync(Interrupt.Token);
                    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"server answered {(int)response.StatusCode}: {json}");
                    using var document = JsonDocument.Parse(json);
                    return (watch.Elapsed.TotalMilliseconds, document.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
                }

                await Send(0); // warm-up: first-call costs stay out of the figures
                foreach (var clients in levels)
                {
                    var samples = new List<(double Ms, int Tokens)>();
                    int next = 0;
                    long batchesBefore = local.Engine.Batches;
                    var watch = Stopwatch.StartNew();
                    await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
                    {
                        for (int request; (request = Interlocked.Increment(ref next)) <= settings.Requests;)
                        {
                            var sample = await Send(request - 1);
                            lock (samples) samples.Add(sample);
                        }
                    })));
                    double seconds = watch.Elapsed.TotalSeconds;
                    var latencies = samples.Select(s => s.Ms).Order().ToArray();
                    results.Add(new ServeBenchmarkResult(scheduler, clients, samples.Count, local.Engine.Batches - batchesBefore, seconds, samples.Count / seconds,
                        samples.Sum(s => s.Tokens) / seconds, Percentile(latencies, 0.5), Percentile(latencies, 0.95)));
                    bar.Update(results.Count, $"{scheduler}, {clients} clients: {results[^1].RequestsPerSecond:F1} req/s");
                }
                await server.StopAsync();
            }
        }
        ProgressDisplay.Run(settings.Quiet, display => { Measure(display).GetAwaiter().GetResult(); return 0; });
        BenchOutput.Write($"OpenAI server on loopback ({settings.Model}, max_tokens {settings.MaxTokens}, greedy)", results, settings.Json,
            new { model = settings.Model, prompt = settings.Prompt, max_tokens = maxTokens, max_batch_size = settings.MaxBatchSize, schedulers });
        return 0;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
