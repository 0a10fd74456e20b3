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
    [CommandOption("--max-tokens <N>")] [Description("max_tokens of each request. Default: 64.")] [DefaultValue(64)] public int MaxTokens { get; init; } = 64;
    [CommandOption("--prompt <TEXT>")] [Description("Prompt of every request. Default: \"Once upon a time\".")] [DefaultValue("Once upon a time")] public string Prompt { get; init; } = "Once upon a time";
    [CommandOption("--max-batch-size <N>")] [Description("Server's batch limit. Default: 32.")] [DefaultValue(32)] public int MaxBatchSize { get; init; } = 32;
    [CommandOption("--json <FILE>")] [Description("Also write the figures as JSON.")] public string? Json { get; init; }
}

/// <summary>Figures of one concurrency level.</summary>
public sealed record ServeBenchmarkResult(int Clients, int Requests, long Batches, double Seconds, double RequestsPerSecond, double TokensPerSecond, double P50Ms, double P95Ms);

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
        var levels = settings.Clients.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out var c) && c > 0 ? c : throw new ArgumentException($"--clients: '{s}' is not a positive integer.")).ToArray();
        if (settings.Requests < 1 || settings.MaxTokens < 1) throw new ArgumentException("--requests and --max-tokens must be positive.");
        await using var local = LocalChatModel.Load(settings.Model, ComputeDevice.Configure(settings.Device, settings.Threads),
            new EngineOptions { MaxBatchSize = settings.MaxBatchSize, QueueSize = Math.Max(levels.Max(), 1) });
        await using var server = new OpenAiServer(local.Engine, new ServerOptions { Port = 0, ModelName = "bench" });
        await server.StartAsync(Interrupt.Token);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseAddress + "/"), Timeout = Timeout.InfiniteTimeSpan };
        var body = new { model = "bench", prompt = settings.Prompt, max_tokens = settings.MaxTokens, temperature = 0 };

        async Task<(double Ms, int Tokens)> Send()
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.PostAsJsonAsync("completions", body, Interrupt.Token);
            var json = await response.Content.ReadAsStringAsync(Interrupt.Token);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"server answered {(int)response.StatusCode}: {json}");
            using var document = JsonDocument.Parse(json);
            return (watch.Elapsed.TotalMilliseconds, document.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        }

        await Send(); // warm-up: first-call costs stay out of the figures
        var results = ProgressDisplay.Run(settings.Quiet, display =>
        {
            var bar = display.AddBar("bench serve", levels.Length);
            var rows = new List<ServeBenchmarkResult>();
            foreach (var clients in levels)
            {
                var samples = new List<(double Ms, int Tokens)>();
                int next = 0;
                long batchesBefore = local.Engine.Batches;
                var watch = Stopwatch.StartNew();
                Task.WaitAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
                {
                    while (Interlocked.Increment(ref next) <= settings.Requests)
                    {
                        var sample = await Send();
                        lock (samples) samples.Add(sample);
                    }
                })).ToArray());
                double seconds = watch.Elapsed.TotalSeconds;
                var latencies = samples.Select(s => s.Ms).Order().ToArray();
                rows.Add(new ServeBenchmarkResult(clients, samples.Count, local.Engine.Batches - batchesBefore, seconds, samples.Count / seconds,
                    samples.Sum(s => s.Tokens) / seconds, Percentile(latencies, 0.5), Percentile(latencies, 0.95)));
                bar.Update(rows.Count, $"{clients} clients: {rows[^1].RequestsPerSecond:F1} req/s");
            }
            return rows;
        });
        await server.StopAsync();
        BenchOutput.Write($"OpenAI server on loopback ({settings.Model}, max_tokens {settings.MaxTokens}, greedy)", results, settings.Json,
            new { model = settings.Model, prompt = settings.Prompt, max_tokens = settings.MaxTokens, max_batch_size = settings.MaxBatchSize });
        return 0;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
