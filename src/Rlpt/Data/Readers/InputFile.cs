namespace Rlpt.Data.Readers;

/// <summary>A resolved input file: where it is, the source its documents belong to, and its name in documents.</summary>
public sealed record InputFile(string Path, string Source, string Name);
