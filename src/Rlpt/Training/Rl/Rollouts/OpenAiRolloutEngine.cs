using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rlpt.Generation;
using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tokenization;

namespace Rlpt.Training.Rl.Rollouts;

/// <summary>Where the remote engines are and how patiently to use them.</summary>
public sealed record RemoteRolloutOptions
{
    /// <summary>Each replica's base URL (…/v1 optional): rlpt serve, vLLM or SGLang.</summary>
    public required IReadOnlyList<Uri> Urls { get; init; }

    /// <summary>The model name the engines serve; null asks the first that answers GET /v1/models.</summary>
    public string? ModelName { get; init; }

    /// <summary>Sent as Authorization: Bearer KEY (the engines' --api-key); default $RLPT_API_KEY.</summary>
    public string? ApiKey { get; init; } = Interop.OpenAi.ApiKey.FromEnvironment();

    /// <summary>How long one completion request may take on one replica before it is sent to another.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Further attempts of a failed or slow request, on other replicas where there are any.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>How long a replica that failed a request is left out before it is tried again.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the policy is saved for the engines to load (their --weights-root must hold it).</summary>
    public required string SyncDirectory { get; init; }
}

/// <summary>
/// Rollouts on OpenAI-compatible inference engines over HTTP, as verl, TRL's vLLM server mode and slime do. A prompt's
/// G samples are one <c>/v1/completions</c> request with its token ids, <c>n</c> = G, the first sample's seed (choice i
/// samples with seed + i, so the samples differ from the local path's, drawn alike), vLLM's <c>return_token_ids</c>
/// (or, from older engines, <c>return_tokens_as_token_ids</c>) and <c>logprobs: 0</c>. Requests go to the replica with the fewest in flight; a failed, refused (429/5xx) or
/// slow one is sent again elsewhere, the replica left out for a cool-down, and the failure counted; no step is lost while
/// some replica works.
/// <para>
/// Weight sync saves the policy as a Hugging Face folder under <see cref="RemoteRolloutOptions.SyncDirectory"/> and posts
/// SGLang's <c>/update_weights_from_disk</c> to every replica (rlpt serve and SGLang implement it; vLLM's weight transfer
/// goes over NCCL and is not driven here). Only replicas holding the current weights get requests; one that failed an
/// update, or came back after a restart, is sent the current folder again before it is used.
/// </para>
/// </summary>
public sealed class OpenAiRolloutEngine : IRolloutEngine
{
    private readonly RemoteRolloutOptions options;
    private readonly CausalLM policy;
    private readonly Tokenizer tokenizer;
    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Replica[] replicas;
    private readonly SemaphoreSlim resync = new(1, 1);
    private string? modelName;
    private string? currentFolder;
    private int? version;
    private long retries, failures, syncFailures;
    private int picks;
    private double syncSeconds;

    public OpenAiRolloutEngine(RemoteRolloutOptions options, CausalLM policy, Tokenizer tokenizer)
    {
        if (options.Urls.Count == 0) throw new ArgumentException("the openai rollout engine needs at least one --rollout-url.");
        if (options.Retries < 0 || options.RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("rollout retries must be >= 0 and the timeout positive.");
        this.options = options;
        this.policy = policy;
        this.tokenizer = tokenizer;
        modelName = options.ModelName;
        replicas = options.Urls.Select(u => new Replica(Root(u))).ToArray();
        if (options.ApiKey is { } key) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    public string Name => RolloutEngines.OpenAi;
    public bool Remote => true;
    public int? WeightVersion => version;

    /// <summary>The server root of a base URL given with or without its /v1.</summary>
    private static Uri Root(Uri url)
    {
        var text = url.ToString().TrimEnd('/');
        if (text.EndsWith("/v1", StringComparison.Ordinal)) text = text[..^3];
        return new Uri(text + "/");
    }

    public async Task<IReadOnlyList<GenerationResult>> GenerateAsync(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellation)
    {
        modelName ??= await ServedModelName(cancellation);
        // A prompt's samples (consecutive, sharing the prompt's list, alike but for their seeds) go as one request with
        // n, as TRL and verl ask vLLM: the engine prefills the prompt once for them.
        var groups = new List<List<GenerationRequest>>();
        foreach (var request in requests)
        {
            if (groups.Count > 0 && SameButSeed(groups[^1][0], request)) groups[^1].Add(request);
            else groups.Add([request]);
        }
        var results = await Task.WhenAll(groups.Select(g => Complete(g, cancellation)));
        return results.SelectMany(r => r).ToArray();
    }

    private static bool SameButSeed(GenerationRequest a, GenerationRequest b) =>
        ReferenceEquals(a.PromptIds, b.PromptIds) && a.Options with { Seed = null } == b.Options with { Seed = null };

    public void SyncWeights(int version, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(options.SyncDirectory);
        var folder = Path.GetFullPath(Path.Combine(options.SyncDirectory, $"step-{version:D7}"));
        // Written aside and renamed, so an engine never reads a half-written folder.
        var temporary = folder + ".partial";
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        ModelFolder.Save(temporary, policy, tokenizer);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(temporary, folder);
        string? previous = currentFolder;
        currentFolder = folder;
        this.version = version;

        var outcomes = Task.WhenAll(replicas.Select(r => Update(r, cancellation))).GetAwaiter().GetResult();
        if (!outcomes.Any(ok => ok))
            throw new IOException($"no rollout replica took the weights of step {version}: {string.Join("; ", replicas.Select(r => $"{r.Root} {r.LastError}"))}");
        // The old folder is read by no replica now (a replica that missed this update is sent the new one before use).
        if (previous is not null && previous != folder && Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        syncSeconds += clock.Elapsed.TotalSeconds;
    }

    public IReadOnlyDictionary<string, double> TakeMetrics()
    {
        var metrics = new Dictionary<string, double>
        {
            ["rollout/request_retries"] = Interlocked.Exchange(ref retries, 0),
            ["rollout/replica_failures"] = Interlocked.Exchange(ref failures, 0),
            ["rollout/weight_sync_failures"] = Interlocked.Exchange(ref syncFailures, 0),
            ["rollout/replicas_current"] = replicas.Count(r => r.Version == version && !r.IsDown),
            ["time/weight_sync"] = syncSeconds,
        };
        syncSeconds = 0;
        return metrics;
    }

    /// <summary>One prompt's completions in one request, retried on other replicas until it succeeds or the attempts run out.</summary>
    private async Task<IReadOnlyList<GenerationResult>> Complete(IReadOnlyList<GenerationRequest> samples, CancellationToken cancellation)
    {
        var request = samples[0];
        var body = Body(request, samples.Count);
        var errors = new List<string>();
        for (int attempt = 0; attempt <= options.Retries; attempt++)
        {
            if (attempt > 0) Interlocked.Increment(ref retries);
            var replica = await Pick(cancellation);
            if (replica is null)
            {
                errors.Add("no replica holds the current weights and is up");
                await Task.Delay(options.Cooldown, cancellation);
                continue;
            }
            Interlocked.Increment(ref replica.InFlight);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(options.RequestTimeout);
            try
            {
                using var response = await http.PostAsync(new Uri(replica.Root, "v1/completions"), new StringContent(body, Encoding.UTF8, "application/json"), timeout.Token);
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    var results = Parse(text, request.PromptIds.Count, replica.Root);
                    if (results.Count != samples.Count) throw new JsonException($"{results.Count} choices for n = {samples.Count}");
                    return results;
                }
                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
                    throw new InvalidOperationException($"the rollout engine {replica.Root} refused a request ({(int)response.StatusCode}): {Message(text)}");
                Fail(replica, $"{(int)response.StatusCode} {Message(text)}", errors);
            }
            catch (Exception error) when (!cancellation.IsCancellationRequested && error is HttpRequestException or OperationCanceledException or IOException or JsonException or FormatException)
            {
                Fail(replica, error is OperationCanceledException ? $"no answer within {options.RequestTimeout.TotalSeconds:0.#} s" : error.Message, errors);
            }
            finally
            {
                Interlocked.Decrement(ref replica.InFlight);
            }
        }
        throw new IOException($"a rollout request failed {options.Retries + 1} times: {string.Join("; ", errors.Distinct())}");
    }

    private void Fail(Replica replica, string error, List<string> errors)
    {
        Interlocked.Increment(ref failures);
        replica.DownUntil = DateTime.UtcNow + options.Cooldown;
        replica.LastError = error;
        lock (errors) errors.Add($"{replica.Root}: {error}");
    }

    /// <summary>The up replica holding the current weights with the fewest requests in flight; stale ones are re-sent the weights first.</summary>
    private async Task<Replica?> Pick(CancellationToken cancellation)
    {
        // Ties go round the replicas, so equal loads spread.
        int start = (int)((uint)Interlocked.Increment(ref picks) % replicas.Length);
        Replica? Best() => replicas.Select((r, i) => (r, Order: (i - start + replicas.Length) % replicas.Length))
            .Where(x => x.r.Version == version && !x.r.IsDown).OrderBy(x => x.r.InFlight).ThenBy(x => x.Order).Select(x => x.r).FirstOrDefault();
        if (Best() is { } best) return best;
        await resync.WaitAsync(cancellation);
        try
        {
            if (Best() is { } found) return found;
            foreach (var stale in replicas.Where(r => r.Version != version && !r.IsDown)) await Update(stale, cancellation);
            return Best();
        }
        finally
        {
            resync.Release();
        }
    }

    /// <summary>Posts the current folder to one replica; true when it took it.</summary>
    private async Task<bool> Update(Replica replica, CancellationToken cancellation)
    {
        if (currentFolder is null) return false;
        var body = new JsonObject { ["model_path"] = currentFolder, ["weight_version"] = version.ToString() }.ToJsonString();
        // An update waits for the replica's running requests, so it gets longer than one request.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(options.RequestTimeout * 2);
        try
        {
            using var response = await http.PostAsync(new Uri(replica.Root, "update_weights_from_disk"), new StringContent(body, Encoding.UTF8, "application/json"), timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (response.IsSuccessStatusCode && JsonNode.Parse(text)?["success"]?.GetValue<bool>() == true)
            {
                replica.Version = version;
                return true;
            }
            replica.LastError = $"weight update refused ({(int)response.StatusCode}): {Message(text)}";
        }
        catch (Exception error) when (!cancellation.IsCancellationRequested && error is HttpRequestException or OperationCanceledException or IOException or JsonException or InvalidOperationException)
        {
            replica.LastError = $"weight update failed: {error.Message}";
        }
        Interlocked.Increment(ref syncFailures);
        replica.DownUntil = DateTime.UtcNow + options.Cooldown;
        return false;
    }

    private async Task<string> ServedModelName(CancellationToken cancellation)
    {
        var errors = new List<string>();
        foreach (var replica in replicas)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(options.RequestTimeout);
                var text = await http.GetStringAsync(new Uri(replica.Root, "v1/models"), timeout.Token);
                if (JsonNode.Parse(text)?["data"]?[0]?["id"]?.GetValue<string>() is { } id) return id;
                errors.Add($"{replica.Root}: no model listed");
            }
            catch (Exception error) when (!cancellation.IsCancellationRequested && error is HttpRequestException or OperationCanceledException or JsonException or InvalidOperationException)
            {
                errors.Add($"{replica.Root}: {error.Message}");
            }
        }
        throw new IOException($"no rollout engine answered GET /v1/models: {string.Join("; ", errors)}");
    }

    /// <summary>The completions request for <paramref name="n"/> samples of a prompt: choice i samples with the first seed + i, as rlpt serve and vLLM do.</summary>
    private string Body(GenerationRequest request, int n)
    {
        var o = request.Options;
        var body = new JsonObject
        {
            ["model"] = modelName,
            ["prompt"] = new JsonArray(request.PromptIds.Select(t => (JsonNode?)t).ToArray()),
            ["max_tokens"] = o.MaxNewTokens,
            ["temperature"] = o.Temperature,
            ["top_p"] = o.TopP,
            ["n"] = n,
            ["logprobs"] = 0,
            ["return_token_ids"] = true,
            // Older engines without return_token_ids still name the tokens exactly this way.
            ["return_tokens_as_token_ids"] = true,
            ["ignore_eos"] = !o.StopAtEndOfText,
        };
        if (o.TopK > 0) body["top_k"] = o.TopK;
        if (o.Seed is int seed) body["seed"] = seed;
        if (o.StopStrings.Count > 0) body["stop"] = new JsonArray(o.StopStrings.Select(s => (JsonNode?)s).ToArray());
        return body.ToJsonString();
    }

    /// <summary>
    /// A completions response as rollouts, one per choice in index order: token ids (return_token_ids, else "token_id:N"
    /// tokens), log-probs, text, finish reason and the weight version the engine names.
    /// </summary>
    internal static IReadOnlyList<GenerationResult> Parse(string text, int promptTokens, Uri engine)
    {
        var body = JsonNode.Parse(text) ?? throw new JsonException("empty response");
        var choices = body["choices"]?.AsArray() is { Count: > 0 } all ? all : throw new JsonException("a response without choices");
        var version = body["weight_version"]?.ToString();
        return choices.OrderBy(c => c?["index"]?.GetValue<int>() ?? 0).Select(choice =>
        {
            var ids = choice!["token_ids"]?.AsArray().Select(t => t!.GetValue<int>()).ToArray()
                ?? choice["logprobs"]?["tokens"]?.AsArray().Select(t => t!.GetValue<string>() is { } name && name.StartsWith("token_id:", StringComparison.Ordinal)
                    ? int.Parse(name["token_id:".Length..], System.Globalization.CultureInfo.InvariantCulture)
                    : throw new InvalidOperationException($"the rollout engine {engine} returned tokens without their ids.")).ToArray()
                ?? throw new InvalidOperationException($"the rollout engine {engine} returned no token ids: it must support vLLM's return_token_ids or return_tokens_as_token_ids.");
            var logProbs = choice["logprobs"]?["token_logprobs"]?.AsArray().Select(t => (float)t!.GetValue<double>()).ToArray()
                ?? throw new InvalidOperationException($"the rollout engine {engine} returned no token log-probs.");
            if (logProbs.Length != ids.Length) throw new JsonException($"{ids.Length} token ids but {logProbs.Length} log-probs");
            var finish = choice["finish_reason"]?.GetValue<string>() == "length" ? FinishReason.Length : FinishReason.Stop;
            return new GenerationResult(ids, logProbs, choice["text"]?.GetValue<string>() ?? "", finish, promptTokens)
            {
                WeightVersion = choice["weight_version"]?.ToString() ?? version,
            };
        }).ToArray();
    }

    private static string Message(string body)
    {
        try
        {
            var node = JsonNode.Parse(body);
            return node?["error"]?["message"]?.GetValue<string>() ?? node?["message"]?.GetValue<string>() ?? body;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }

    public void Dispose()
    {
        http.Dispose();
        resync.Dispose();
    }

    private sealed class Replica(Uri root)
    {
        public Uri Root { get; } = root;
        public int InFlight;
        public int? Version { get; set; }
        public DateTime DownUntil { get; set; }
        public string? LastError { get; set; }
        public bool IsDown => DateTime.UtcNow < DownUntil;
    }
}
