namespace Rlpt.Data;

/// <summary>
/// A raw document: where it came from (its source, used for mixing and reporting), its name within that source,
/// its text, and any other fields its file carried (e.g. JSON Lines columns), kept as metadata.
/// </summary>
public sealed record Document(string Source, string Name, string Text, IReadOnlyDictionary<string, string>? Metadata = null);
