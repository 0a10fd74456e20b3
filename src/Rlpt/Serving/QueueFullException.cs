namespace Rlpt.Serving;

/// <summary>The engine's queue has no room for the submission; the caller may retry later (HTTP 429).</summary>
public sealed class QueueFullException(int queueSize)
    : InvalidOperationException($"the generation queue is full ({queueSize} waiting); retry later.");
