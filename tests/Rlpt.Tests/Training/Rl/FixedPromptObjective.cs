using System.Text.Json.Nodes;
using Rlpt.Rewards;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using static TorchSharp.torch;

namespace Rlpt.Tests.Training.Rl;

/// <summary>A test objective: one fixed prompt, text rewards on the raw completion; its state is the count drawn.</summary>
internal sealed class FixedPromptObjective(string prompt, Tokenizer tokenizer, params IRewardFunction[] rewards) : IRlObjective
{
    public long Drawn { get; private set; }
    public string Name => "fixed";
    public IRolloutReward Reward { get; } = new CompletionRewards(new RewardComposer(rewards.Select(r => new WeightedReward(r, 1.0))),
        (p, completion) => new RewardInput(prompt, completion, completion, "", "", new Dictionary<string, string>()));
    public IReadOnlyList<IGroupFilter> Filters { get; init; } = [];
    public string? Demonstration { get; init; }
    public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();

    public RolloutPrompt NextPrompt(RlContext context)
    {
        Drawn++;
        return new RolloutPrompt(tokenizer.Encode(prompt), [], prompt, new Dictionary<string, string> { ["prompt"] = prompt }, Demonstration);
    }

    public JsonObject SaveState() => new() { ["drawn"] = Drawn };
    public void RestoreState(JsonObject state) => Drawn = state["drawn"]!.GetValue<long>();
    public void AfterUpdate(RlContext context) { }
    public void Dispose() { }
}

/// <summary>1 when the completion starts with a digit: rare for an untrained model, easy to learn.</summary>
internal sealed class StartsWithDigit : IRewardFunction
{
    public string Name => "digit";
    public Task<RewardScores> ScoreAsync(IReadOnlyList<RewardInput> batch, CancellationToken cancellation) =>
        Task.FromResult(new RewardScores(batch.Select(b => b.Completion.Length > 0 && char.IsAsciiDigit(b.Completion[0]) ? 1.0 : 0.0).ToArray()));
}

/// <summary>1 when the completion starts with the given text: for a long enough text, never by chance.</summary>
internal sealed class StartsWithText(string text) : IRewardFunction
{
    public string Name => "starts_with";
    public Task<RewardScores> ScoreAsync(IReadOnlyList<RewardInput> batch, CancellationToken cancellation) =>
        Task.FromResult(new RewardScores(batch.Select(b => b.Completion.StartsWith(text, StringComparison.Ordinal) ? 1.0 : 0.0).ToArray()));
}
