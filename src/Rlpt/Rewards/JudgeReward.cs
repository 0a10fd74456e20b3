using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Rlpt.Rewards;

/// <summary>
/// RLPT's reward: an LLM judge decides whether the prediction is a semantically equivalent prefix of the reference
/// continuation (several segments, so a prediction running past s_i can still be judged). A missing prediction
/// scores 0 without a request. Identical pairs within a batch are judged once; verdicts are cached across batches.
/// Each attempt is bounded by <see cref="JudgeOptions.Timeout"/>; timeouts, transport errors and garbled replies
/// are retried, then handled by <see cref="JudgeOptions.OnFailure"/>.
/// </summary>
public sealed class JudgeReward : IRewardFunction, IDisposable
{
    private readonly IChatClient _client;
    private readonly bool _ownsClient;
    private readonly JudgeOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<(string Prediction, string Reference), int> _cache = new();

    public JudgeReward(IChatClient client, JudgeOptions? options = null) : this(client, options ?? JudgeOptions.Default, ownsClient: false) { }

    private JudgeReward(IChatClient client, JudgeOptions options, bool ownsClient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Retries);
        _client = client;
        _options = options;
        _ownsClient = ownsClient;
        _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
    }

    /// <summary>
    /// A judge on any OpenAI-compatible chat-completions server (vLLM, llama.cpp, Ollama, OpenAI). <paramref name="endpoint"/>
    /// is the API base, e.g. http://127.0.0.1:8000/v1. The client's own retries are off so that
    /// <see cref="JudgeOptions.Retries"/> alone governs them.
    /// </summary>
    public static JudgeReward ForOpenAiCompatible(Uri endpoint, string model, string? apiKey, JudgeOptions? options = null)
    {
        options ??= JudgeOptions.Default;
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // Our per-attempt timeout should fire first; this only stops a hung socket outliving it.
            NetworkTimeout = options.Timeout + TimeSpan.FromSeconds(5),
        };
        // Local servers usually need no key, but the client requires one.
        var credential = new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey);
        var chat = new OpenAIClient(credential, clientOptions).GetChatClient(model).AsIChatClient();
        return new JudgeReward(chat, options, ownsClient: true);
    }

    public string Name => "judge";

    public async Task<RewardScores> ScoreAsync(IReadOnlyList<RewardInput> batch, CancellationToken cancellation)
    {
        var pending = new Dictionary<(string, string), Task<int?>>();
        var keys = new (string, string)?[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Prediction is not { } prediction) continue;
            var key = (prediction, batch[i].ReferenceContinuation);
            keys[i] = key;
            if (!pending.ContainsKey(key)) pending[key] = JudgeAsync(key, cancellation);
        }
        await Task.WhenAll(pending.Values).ConfigureAwait(false);

        var scores = new double[batch.Count];
        var failures = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            if (keys[i] is not { } key) continue;
            if (pending[key].Result is { } verdict) scores[i] = verdict;
            else failures++;
        }
        return new RewardScores(scores, failures);
    }

    /// <returns>The verdict, or null when it failed under <see cref="JudgeFailurePolicy.ScoreZero"/>.</returns>
    private async Task<int?> JudgeAsync((string Prediction, string Reference) key, CancellationToken cancellation)
    {
        if (_options.Cache && _cache.TryGetValue(key, out var cached)) return cached;

        var messages = new[] { new ChatMessage(ChatRole.User, JudgePrompt.Build(key.Prediction, key.Reference)) };
        var chatOptions = new ChatOptions { Temperature = _options.Temperature };
        var problem = "";
        Exception? lastError = null;
        for (var attempt = 0; attempt <= _options.Retries; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(_options.RetryBackoff * Math.Pow(2, attempt - 1), cancellation).ConfigureAwait(false);

            await _slots.WaitAsync(cancellation).ConfigureAwait(false);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(_options.Timeout);
                var response = await _client.GetResponseAsync(messages, chatOptions, timeout.Token).ConfigureAwait(false);
                if (JudgeVerdict.Parse(response.Text) is { } verdict)
                {
                    Remember(key, verdict);
                    return verdict;
                }
                problem = $"garbled reply \"{Shorten(response.Text)}\" (expected exactly one \"Score: 0\" or \"Score: 1\")";
                lastError = null;
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                problem = $"no reply within {_options.Timeout.TotalSeconds:0.###} s";
                lastError = null;
            }
            // Anything else the client throws (an HTTP error status, a refused connection, an in-process model's
            // context-length or queue-full refusal) is a failed attempt too, handled by the failure policy.
            catch (Exception error) when (error is not OperationCanceledException)
            {
                problem = error.Message;
                lastError = error;
            }
            finally
            {
                _slots.Release();
            }
        }

        if (_options.OnFailure == JudgeFailurePolicy.ScoreZero) return null;
        throw new JudgeException($"Judge {Describe()} failed after {_options.Retries + 1} attempt(s): {problem}", lastError);
    }

    private void Remember((string, string) key, int verdict)
    {
        if (!_options.Cache) return;
        if (_cache.Count >= _options.MaxCacheEntries) _cache.Clear();
        _cache[key] = verdict;
    }

    private string Describe()
    {
        var metadata = _client.GetService<ChatClientMetadata>();
        return $"at {metadata?.ProviderUri?.ToString() ?? "(in-process client)"} (model {metadata?.DefaultModelId ?? "unknown"})";
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    public void Dispose()
    {
        _slots.Dispose();
        if (_ownsClient) _client.Dispose();
    }
}
