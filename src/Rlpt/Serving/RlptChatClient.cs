using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Rlpt.Generation;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using RlptChatMessage = Rlpt.Tokenization.ChatMessage;

namespace Rlpt.Serving;

/// <summary>
/// Microsoft.Extensions.AI's <see cref="IChatClient"/> over an in-process model, through the same
/// <see cref="BatchingEngine"/> the HTTP server uses (so concurrent callers, e.g. a judge scoring a batch, share
/// batches). Maps Temperature, TopP, TopK, MaxOutputTokens, StopSequences and Seed; reports usage; other options
/// (tools, response formats, ModelId: there is one model) do not apply and are ignored. Does not own the engine.
/// </summary>
public sealed class RlptChatClient(BatchingEngine engine, string modelId = "rlpt") : IChatClient
{
    private readonly ChatClientMetadata metadata = new("rlpt", providerUri: null, defaultModelId: modelId);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var stream = Submit(messages, options, cancellationToken);
        var result = await stream.Result.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return new ChatResponse(new AiChatMessage(ChatRole.Assistant, result.Text))
        {
            ModelId = modelId, FinishReason = FinishReasonOf(result), Usage = Usage(stream, result), CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var stream = Submit(messages, options, cancellationToken);
        var responseId = Guid.NewGuid().ToString("N");
        await foreach (var delta in stream.Deltas.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            yield return new ChatResponseUpdate(ChatRole.Assistant, delta) { ResponseId = responseId, MessageId = responseId, ModelId = modelId };
        var result = await stream.Result.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(Usage(stream, result))])
        {
            ResponseId = responseId, MessageId = responseId, ModelId = modelId, FinishReason = FinishReasonOf(result),
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <summary>Nothing to release: the engine belongs to whoever created it.</summary>
    public void Dispose() { }

    private GenerationStream Submit(IEnumerable<AiChatMessage> messages, ChatOptions? options, CancellationToken cancellation)
    {
        var prompt = engine.EncodeChat(messages.Select(m => new RlptChatMessage(m.Role.Value, m.Text)).ToArray());
        var sampling = new SamplingOptions
        {
            MaxNewTokens = options?.MaxOutputTokens ?? engine.DefaultMaxTokens(prompt.Count),
            Temperature = options?.Temperature ?? 1.0,
            TopP = options?.TopP ?? 1.0,
            TopK = options?.TopK ?? 0,
            StopStrings = options?.StopSequences?.ToArray() ?? [],
            Seed = options?.Seed is long seed
                ? (seed is >= int.MinValue and <= int.MaxValue ? (int)seed : throw new ArgumentException($"Seed must fit in 32 bits (got {seed})."))
                : null,
        };
        return engine.Submit(new GenerationRequest(prompt, BatchingEngine.ForChat(sampling)), cancellation);
    }

    private static ChatFinishReason FinishReasonOf(GenerationResult result) =>
        result.FinishReason == FinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop;

    private static UsageDetails Usage(GenerationStream stream, GenerationResult result) => new()
    {
        InputTokenCount = stream.PromptTokens, OutputTokenCount = result.TokenIds.Count, TotalTokenCount = stream.PromptTokens + result.TokenIds.Count,
    };
}
