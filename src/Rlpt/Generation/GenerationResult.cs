namespace Rlpt.Generation;

public sealed record GenerationRequest(IReadOnlyList<int> PromptIds, SamplingOptions Options);

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

public enum FinishReason { Stop, Length }
