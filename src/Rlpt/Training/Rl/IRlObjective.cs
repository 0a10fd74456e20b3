using System.Text.Json.Nodes;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using static TorchSharp.torch;

namespace Rlpt.Training.Rl;

/// <summary>What the stages of a step may look at: the policy as it is now, its tokenizer, the device and the step.</summary>
public sealed record RlContext(CausalLM Policy, Tokenizer Tokenizer, Device Device, double Temperature, int Step);

/// <summary>
/// An RL objective (RLPT, RLP, EMPO, ...) as the GRPO algorithm sees it: where prompts come from, how rollouts are
/// rewarded, which groups are kept, which further modules it keeps (an EMA teacher) and what it updates after each
/// optimizer step. Registered by name in <c>Objectives.ObjectiveRegistry</c>.
/// </summary>
public interface IRlObjective : IDisposable
{
    string Name { get; }

    /// <summary>The next prompt; the policy is visible so a curriculum may depend on it.</summary>
    RolloutPrompt NextPrompt(RlContext context);

    IRolloutReward Reward { get; }

    /// <summary>Filters of the objective's own (e.g. EMPO's entropy band), applied after the reward stage.</summary>
    IReadOnlyList<IGroupFilter> Filters { get; }

    /// <summary>Modules the objective owns and a checkpoint must keep (e.g. RLP's teacher).</summary>
    IReadOnlyDictionary<string, nn.Module> Modules { get; }

    JsonObject SaveState();

    void RestoreState(JsonObject state);

    /// <summary>Called after every optimizer step of the policy (e.g. an EMA teacher update).</summary>
    void AfterUpdate(RlContext context);
}
