using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>
/// Reduces a per-token loss [batch, tokens] to a scalar (verl's loss_agg_mode). Masked tokens never contribute,
/// whatever their value, and sequences without any valid token are skipped rather than turned into NaN.
/// </summary>
public static class LossAggregation
{
    /// <summary>Σ loss·mask / Σ mask over the whole batch: every token weighs the same (DAPO).</summary>
    public const string TokenMean = "token-mean";
    /// <summary>Mean over sequences of each sequence's token mean (original GRPO): short sequences weigh more per token.</summary>
    public const string SeqMeanTokenMean = "seq-mean-token-mean";
    /// <summary>Σ loss·mask / (batch · max_completion_length): a constant normaliser with no length bias (Dr. GRPO).</summary>
    public const string SeqMeanTokenSumNorm = "seq-mean-token-sum-norm";

    public static IReadOnlyCollection<string> Modes { get; } = [TokenMean, SeqMeanTokenMean, SeqMeanTokenSumNorm];

    /// <summary>Aggregates one whole batch; the divisors come from this batch's mask.</summary>
    public static Tensor Aggregate(Tensor tokenLoss, Tensor mask, string mode, int maxCompletionLength) =>
        Aggregate(tokenLoss, mask, mode, maxCompletionLength, globalTokenCount: null, globalSequenceCount: null);

    /// <summary>
    /// Aggregates one micro-batch of a larger optimizer batch. Pass the whole batch's divisors and sum (do not average)
    /// the micro-batch results: dividing each micro-batch by its own counts would weigh tokens unequally across
    /// micro-batches. <paramref name="globalTokenCount"/> is Σ mask over the batch (token-mean);
    /// <paramref name="globalSequenceCount"/> is Σ <see cref="CountSequences"/> over the micro-batches (the two seq modes).
    /// A null divisor falls back to this micro-batch's own.
    /// </summary>
    public static Tensor Aggregate(Tensor tokenLoss, Tensor mask, string mode, int maxCompletionLength,
        Tensor? globalTokenCount, int? globalSequenceCount)
    {
        ValidateMode(mode);
        if (mode == SeqMeanTokenSumNorm && maxCompletionLength <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxCompletionLength), maxCompletionLength, "Must be positive for seq-mean-token-sum-norm.");
        using var scope = NewDisposeScope();
        var maskedLoss = where(mask > 0, tokenLoss, zeros_like(tokenLoss));
        var result = mode switch
        {
            // An all-masked batch has no loss; clamping the count to 1 keeps it 0 instead of 0/0.
            TokenMean => maskedLoss.sum() / (globalTokenCount ?? mask.sum()).clamp_min(1),
            SeqMeanTokenMean => (maskedLoss.sum(1) / mask.sum(1).clamp_min(1)).sum()
                / Math.Max(1, globalSequenceCount ?? CountSequences(mask, mode)),
            _ => maskedLoss.sum() / ((double)Math.Max(1, globalSequenceCount ?? CountSequences(mask, mode)) * maxCompletionLength),
        };
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Sequences of this (micro-)batch that the mode divides by: those with at least one valid token for
    /// seq-mean-token-mean, every row for the others.
    /// </summary>
    public static int CountSequences(Tensor mask, string mode)
    {
        ValidateMode(mode);
        if (mode != SeqMeanTokenMean) return (int)mask.shape[0];
        using var scope = NewDisposeScope();
        return (int)(mask > 0).any(1).sum().item<long>();
    }

    private static void ValidateMode(string mode)
    {
        if (!Modes.Contains(mode))
            throw new ArgumentException($"Unknown loss aggregation '{mode}'; valid: {string.Join(", ", Modes)}.", nameof(mode));
    }
}
