namespace Rlpt.Rewards;

/// <summary>
/// What a reward function sees for one completion: the prompt, the full completion, the prediction extracted
/// from it (null when the output was missing or malformed — such outputs score 0), and the task's references.
/// </summary>
/// <param name="Reference">The ground-truth target (e.g. the masked or next segment s_i).</param>
/// <param name="ReferenceContinuation">The target followed by the segments after it (RLPT's prefix reward compares the prediction with a prefix of this).</param>
/// <param name="Metadata">Task fields such as "kind" (asr/msr) or "answer" (an exact value for arithmetic).</param>
public sealed record RewardInput(
    string Prompt,
    string Completion,
    string? Prediction,
    string Reference,
    string ReferenceContinuation,
    IReadOnlyDictionary<string, string> Metadata);
