namespace Rlpt.Tokenization;

/// <summary>Result of <see cref="BpeTrainer.Train"/>: tokens in id order (byte-level strings) and merges in rank order.</summary>
public sealed record TrainedBpe(IReadOnlyList<string> Vocabulary, IReadOnlyList<(string Left, string Right)> Merges, int SpecialTokenCount);
