namespace Rlpt.Rewards;

/// <summary>The judge could not give a verdict (unreachable, timed out or garbled) under <see cref="JudgeFailurePolicy.Fail"/>.</summary>
public sealed class JudgeException(string message, Exception? inner = null) : Exception(message, inner);
