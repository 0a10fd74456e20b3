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
    int PromptTokens)
{
    /// <summary>At each generated position, the <see cref="SamplingOptions.TopLogProbs"/> most likely tokens; null when not asked.</summary>
    public IReadOnlyList<IReadOnlyList<TokenLogProb>>? TopLogProbs { get; init; }

    /// <summary>Prompt tokens 1 … P−1 scored by the model (<see cref="SamplingOptions.PromptLogProbs"/>); null when not asked.</summary>
    public IReadOnlyList<PromptTokenLogProb>? PromptLogProbs { get; init; }

    /// <summary>The weights that generated this row, when the engine names them (a server after a weight update).</summary>
    public string? WeightVersion { get; init; }
}

/// <summary>A token and its log-probability.</summary>
public sealed record TokenLogProb(int TokenId, float LogProb);

/// <summary>A prompt token's log-probability given the tokens before it, its rank (1 = most likely) and the most likely alternatives.</summary>
public sealed record PromptTokenLogProb(int TokenId, float LogProb, int Rank, IReadOnlyList<TokenLogProb> Top);

/// <summary>Stop: end-of-text or a stop string; Length: the token limit; Cancelled: the request's own token fired.</summary>
public enum FinishReason { Stop, Length, Cancelled }
