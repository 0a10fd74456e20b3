namespace Rlpt.Training.Dpo;

/// <summary>
/// One preference: a prompt (already in the model's format, ending where the answer begins) and two completions,
/// the preferred one first. Completions end with the end-of-turn token when they are chat answers.
/// </summary>
public sealed record PreferencePair(string Prompt, string Chosen, string Rejected);
