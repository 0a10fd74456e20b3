namespace Rlpt.Tests.Reliability;

/// <summary>One case of a damaged-file corpus: its name and what it breaks in a copy of a valid folder.</summary>
internal sealed record DamagedInput(string Name, Action<string> Damage);
