namespace Rlpt.Training.Rl;

/// <summary>
/// One prompt of an RL step as an objective builds it: the token ids the policy continues, where its rollouts stop,
/// and the objective's own task (read back by the objective's reward). <see cref="Log"/> holds what completions.jsonl
/// shows next to a sampled completion (the prompt text, a reference). <see cref="Demonstration"/> is a reference answer
/// in the policy's format, end token included, for objectives that have one (HPT trains on it when the rollouts fail).
/// </summary>
public sealed record RolloutPrompt(IReadOnlyList<int> PromptIds, IReadOnlyList<string> StopStrings, object Task, IReadOnlyDictionary<string, string> Log, string? Demonstration = null);
