namespace Rlpt.Serving;

/// <summary>Prompt plus requested completion do not fit in the model's context.</summary>
public sealed class ContextLengthExceededException(int context, int promptTokens, int maxTokens) : ArgumentException(
    $"This model's maximum context length is {context} tokens. However, you requested {promptTokens + maxTokens} tokens " +
    $"({promptTokens} in the prompt, {maxTokens} for the completion). Please reduce the prompt or the completion length.");
