namespace Rlpt.Serving;

/// <summary>The engine is shutting down (or has stopped): what was asked of it will not be done. Servers answer 503.</summary>
public sealed class EngineStoppedException(string message) : InvalidOperationException(message);
