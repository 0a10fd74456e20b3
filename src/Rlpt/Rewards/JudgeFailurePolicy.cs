namespace Rlpt.Rewards;

/// <summary>What <see cref="JudgeReward"/> does when a judgement still fails after its retries.</summary>
public enum JudgeFailurePolicy
{
    /// <summary>Score the completion 0 and count it in <see cref="RewardScores.Failures"/>.</summary>
    ScoreZero,

    /// <summary>Throw a <see cref="JudgeException"/> naming the endpoint and the problem.</summary>
    Fail,
}
