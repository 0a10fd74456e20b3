using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Rlpt.Data.Store;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using Rlpt.Training;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Objectives.Rlp;

/// <summary>
/// RLP (arXiv 2510.01265): at a position t of a training document the policy writes a thought after &lt;think&gt;, and is
/// rewarded by how much the thought raises the likelihood of the document's next token(s) over an EMA teacher that sees
/// no thought (<see cref="InformationGainReward"/>). Only the sampled thought tokens carry a loss (they are the
/// completion); the scored tokens and the teacher never get a gradient. The teacher starts as a copy of the policy
/// (φ ← θ) and follows it after every optimizer step (φ ← τφ + (1 − τ)θ); it is saved in checkpoints as "teacher".
/// The paper's advantage G/(G − 1)·(r − mean) is the rloo estimator (pass --advantage-estimator rloo).
/// </summary>
public sealed class RlpObjective : IRlObjective
{
    public static ObjectiveDefinition Definition { get; } = new("rlp", "information-gain thoughts before the next tokens of a document", typeof(RlpOptions), Create, RlpEvaluation.Evaluate);

    private readonly RlpPositions positions;
    private readonly RlpOptions options;
    private readonly CausalLM teacher;
    private readonly int thinkStartId;
    private long drawn;

    public RlpObjective(DatasetSplit split, CausalLM policy, Tokenizer tokenizer, RlpOptions options)
    {
        positions = new RlpPositions(split, options);
        this.options = options;
        thinkStartId = tokenizer.TokenToId(SpecialTokens.ThinkStart) ?? throw new ArgumentException($"the tokenizer has no {SpecialTokens.ThinkStart} token.");
        int thinkEndId = tokenizer.TokenToId(SpecialTokens.ThinkEnd) ?? throw new ArgumentException($"the tokenizer has no {SpecialTokens.ThinkEnd} token.");
        teacher = FrozenCopy.Of(policy);
        Reward = new InformationGainReward(teacher, thinkStartId, thinkEndId);
        Modules = new Dictionary<string, nn.Module> { ["teacher"] = teacher };
    }

    private static RlpObjective Create(ObjectiveSetup setup) => new(setup.Dataset("rlp").Train, setup.Policy, setup.Tokenizer, setup.Options<RlpOptions>());

    public string Name => "rlp";
    public IRolloutReward Reward { get; }
    public IReadOnlyList<IGroupFilter> Filters { get; } = [];
    public IReadOnlyDictionary<string, nn.Module> Modules { get; }

    public CausalLM Teacher => teacher;

    public RolloutPrompt NextPrompt(RlContext context)
    {
        var task = positions.Draw(drawn++);
        return new RolloutPrompt([.. task.Context, thinkStartId], [SpecialTokens.ThinkEnd], task, new Dictionary<string, string>
        {
            ["prompt"] = context.Tokenizer.Decode(task.Context),
            ["reference"] = context.Tokenizer.Decode(task.Scored),
        });
    }

    /// <summary>φ ← τφ + (1 − τ)θ, after the policy's optimizer step (so the next step's baseline has seen this update).</summary>
    public void AfterUpdate(RlContext context)
    {
        using var guard = no_grad();
        var policy = context.Policy.state_dict();
        foreach (var (name, parameter) in teacher.state_dict())
            parameter.mul_(options.EmaDecay).add_(policy[name], alpha: 1 - options.EmaDecay);
    }

    public JsonObject SaveState() => RunState.ToJson(new State { PositionsDrawn = drawn });

    public void RestoreState(JsonObject state) => drawn = RunState.FromJson<State>(state, "RLP").PositionsDrawn;

    public void Dispose() => teacher.Dispose();

    private sealed record State
    {
        [JsonPropertyName("positions_drawn")] public long PositionsDrawn { get; init; }
    }
}
