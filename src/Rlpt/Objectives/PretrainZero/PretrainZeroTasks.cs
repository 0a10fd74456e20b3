namespace Rlpt.Objectives.PretrainZero;

/// <summary>A generator prompt: the <paramref name="Draw"/>-th passage, in which the policy proposes a span to mask.</summary>
public sealed record MaskGenerationTask(long Draw, string Passage);

/// <summary>
/// A predictor prompt: a masked passage whose span the policy must state. <paramref name="SeedKey"/> names where the
/// mask came from (a draw, or a generator completion), so its rollouts' seeds are fixed by it.
/// </summary>
public sealed record MaskPredictionTask(string SeedKey, MaskedPassage Mask);
