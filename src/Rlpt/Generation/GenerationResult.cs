namespace Rlpt.Generation;

public sealed record GenerationRequest(IReadOnlyList<int> PromptIds, SamplingOptions Options)
{
    /// <summary>
    /// Finishes this row alone (with <see cref="FinishReason.Cancelled"/>) at the next decoding step, so a server
    /// can drop a disconnected client's row while the rest of the batch goes on.
    /// </summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>
/// One finished sequence. <see cref="LogProbs"/> holds log π(token) of each sampled token under the
/// temperature-scaled distribution before top-k/top-p filtering — the quantity RL trainers (TRL, verl) use.
/// </summary>
public sealed record GenerationResult(
    IReadOnlyList<int> TokenIds,
    IReadOnlyList<float> LogProbs,
    string Text,
    FinishReason FinishReason,
    int PromptTokens);

/// <summary>Stop: end-of-text or a stop string; Length: the token limit; Cancelled: the request's own token fired.</summary>
public enum FinishReason { Stop, Length, Cancelled }
