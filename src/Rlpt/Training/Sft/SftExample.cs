namespace Rlpt.Training.Sft;

/// <summary>One supervised fine-tuning example: the loss is taken on <paramref name="Completion"/> only.</summary>
/// <param name="Prompt">Chat-formatted text up to where the assistant's answer begins.</param>
/// <param name="Completion">The answer, ending with the end-of-turn token.</param>
public sealed record SftExample(string Prompt, string Completion);
