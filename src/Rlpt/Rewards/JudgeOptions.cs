namespace Rlpt.Rewards;

/// <summary>How <see cref="JudgeReward"/> calls its LLM judge.</summary>
public sealed record JudgeOptions
{
    public static JudgeOptions Default { get; } = new();

    /// <summary>Most judge requests in flight at once (per reward instance).</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Limit for one request; a slower reply counts as a failed attempt.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Extra attempts after a timeout, transport error or garbled reply.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Wait before the first retry; it doubles for each further one.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Default <see cref="JudgeFailurePolicy.ScoreZero"/>: one flaky request should not end a long run, and the
    /// failures are reported. Use <see cref="JudgeFailurePolicy.Fail"/> to surface a misconfigured endpoint at once.
    /// </summary>
    public JudgeFailurePolicy OnFailure { get; init; } = JudgeFailurePolicy.ScoreZero;

    /// <summary>Remember verdicts per (prediction, reference) so repeated pairs cost no request.</summary>
    public bool Cache { get; init; } = true;

    /// <summary>The cache is emptied when it reaches this many entries, bounding its memory.</summary>
    public int MaxCacheEntries { get; init; } = 100_000;

    /// <summary>Sampling temperature sent to the judge; 0 for repeatable verdicts, null to use the server's default.</summary>
    public float? Temperature { get; init; } = 0;
}
