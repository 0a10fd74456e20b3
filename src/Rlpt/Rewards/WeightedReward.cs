namespace Rlpt.Rewards;

/// <summary>One term of a <see cref="RewardComposer"/>.</summary>
public sealed record WeightedReward(IRewardFunction Function, double Weight);
