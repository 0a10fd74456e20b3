using Rlpt.Rewards;

namespace Rlpt.Tests.Rewards;

internal static class Inputs
{
    public static RewardInput Make(string? prediction, string reference, string? continuation = null, IReadOnlyDictionary<string, string>? metadata = null) =>
        new("prompt", prediction ?? "", prediction, reference, continuation ?? reference, metadata ?? new Dictionary<string, string>());
}
