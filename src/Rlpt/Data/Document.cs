namespace Rlpt.Data;

/// <summary>A raw document and where it came from (its source, used for mixing and reporting).</summary>
public sealed record Document(string Source, string Name, string Text);
