using Rlpt.Interop.HuggingFace;
using Rlpt.Modeling;
using Rlpt.Tokenization;

namespace Rlpt.Serving;

/// <summary>How a <see cref="BatchingEngine"/> batches, queues and renders chats.</summary>
public sealed record EngineOptions
{
    public const string ContinuousScheduler = "continuous";
    public const string StaticScheduler = "static";

    /// <summary>
    /// continuous (default): waiting rows join the running batch at the next decoding step and finished rows leave it.
    /// static: a batch is formed only when the last one has ended, and runs to its end (kept for comparison).
    /// </summary>
    public string Scheduler { get; init; } = ContinuousScheduler;

    /// <summary>The name of the weights served at start-up, reported with every result until a weight update names others.</summary>
    public string WeightVersion { get; init; } = "0";

    /// <summary>Most rows decoded together in one batch.</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>Most rows waiting for a batch; a submission that does not fit is refused with <see cref="QueueFullException"/>.</summary>
    public int QueueSize { get; init; } = 256;

    /// <summary>Completion length when a request gives none (capped by what the context leaves after the prompt).</summary>
    public int DefaultMaxTokens { get; init; } = 256;

    /// <summary>
    /// Renders a conversation as the prompt text ending with an opened assistant turn. Rlpt's ChatML by default;
    /// the one place a model's own chat template plugs in.
    /// </summary>
    public Func<IReadOnlyList<ChatMessage>, string> RenderChat { get; init; } = messages => ChatFormat.Prompt(messages);

    /// <summary>These options with the chat template a model folder ships (Rlpt's ChatML when it ships none).</summary>
    public EngineOptions WithChatTemplateOf(string modelDirectory)
    {
        var info = ModelFolder.ReadInfo(modelDirectory);
        return this with { RenderChat = messages => info.RenderChat(messages) };
    }

    /// <summary>Test hook: runs on the engine thread just before rows join the batch.</summary>
    internal Action? BeforeBatch { get; init; }

    /// <summary>Test hook: runs on the engine thread after each generated token.</summary>
    internal Action? AfterToken { get; init; }

    public void Validate()
    {
        if (MaxBatchSize < 1) throw new ArgumentException($"max batch size must be at least 1 (got {MaxBatchSize}).");
        if (QueueSize < 1) throw new ArgumentException($"queue size must be at least 1 (got {QueueSize}).");
        if (Scheduler is not (ContinuousScheduler or StaticScheduler)) throw new ArgumentException($"scheduler must be {ContinuousScheduler} or {StaticScheduler} (got '{Scheduler}').");
        if (string.IsNullOrWhiteSpace(WeightVersion)) throw new ArgumentException("the weight version must not be empty.");
        if (DefaultMaxTokens < 1) throw new ArgumentException($"default max tokens must be at least 1 (got {DefaultMaxTokens}).");
    }
}
