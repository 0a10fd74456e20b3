using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Rlpt.Rewards;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Objectives.Rlpt;

/// <summary>
/// RLPT (arXiv 2509.19249): the policy reasons about a document's context, then predicts its next segment (ASR) or a
/// masked middle segment (MSR) between prediction tags; the prediction is scored against the real segments by the chosen
/// text rewards. Tasks come from the training split's segment index; the count drawn is the whole state.
/// </summary>
public sealed class RlptObjective : IRlObjective
{
    public static ObjectiveDefinition Definition { get; } = new("rlpt", "next-segment reasoning (ASR + MSR) scored against the document", typeof(RlptTaskOptions), Create, RlptEvaluation.Evaluate);

    private readonly RlptTaskSampler sampler;
    private readonly Tokenizer tokenizer;
    private long drawn;

    public RlptObjective(RlptTaskSampler sampler, Tokenizer tokenizer, RewardComposer rewards, Action<string>? log = null)
    {
        this.sampler = sampler;
        this.tokenizer = tokenizer;
        Reward = new CompletionRewards(rewards, (prompt, completion) => Input((RlptTask)prompt.Task, completion), log);
    }

    private static RlptObjective Create(ObjectiveSetup setup)
    {
        var options = setup.Options<RlptTaskOptions>();
        var weights = setup.RewardWeights is { Count: > 0 } given ? given : new Dictionary<string, double> { ["prefix"] = 1.0 };
        var data = setup.Dataset("rlpt");
        var sampler = new RlptTaskSampler(data.Train, setup.Tokenizer, data.Meta.Sources, options);
        return new RlptObjective(sampler, setup.Tokenizer, RewardRegistry.Compose(weights, setup.Judge), setup.Log);
    }

    public string Name => "rlpt";
    public IRolloutReward Reward { get; }
    public IReadOnlyList<IGroupFilter> Filters { get; } = [];
    public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();

    public RolloutPrompt NextPrompt(RlContext context)
    {
        var task = sampler.Draw(drawn++);
        return new RolloutPrompt(tokenizer.Encode(task.Prompt), [SpecialTokens.ImEnd], task,
            new Dictionary<string, string> { ["prompt"] = task.Prompt, ["reference"] = task.Reference },
            RlptSftData.Completion(task.Kind, task.Reference, task.Prompt.EndsWith(SpecialTokens.ThinkStart + "\n", StringComparison.Ordinal)));
    }

    public JsonObject SaveState() => RunState.ToJson(new State { TasksDrawn = drawn });

    public void RestoreState(JsonObject state) => drawn = RunState.FromJson<State>(state, "RLPT").TasksDrawn;

    public void AfterUpdate(RlContext context) { }

    public void Dispose() { }

    /// <summary>What the text rewards see of a completion: its prediction between the tags and the task's references.</summary>
    public static RewardInput Input(RlptTask task, string completion) => new(
        task.Prompt, completion, PredictionExtractor.Extract(completion), task.Reference, task.ReferenceContinuation,
        new Dictionary<string, string>
        {
            ["kind"] = task.Kind.ToString().ToLowerInvariant(),
            ["source"] = task.Source,
            ["document"] = task.Document.ToString(CultureInfo.InvariantCulture),
            ["segment"] = task.Segment.ToString(CultureInfo.InvariantCulture),
        });

    private sealed record State
    {
        [JsonPropertyName("tasks_drawn")] public long TasksDrawn { get; init; }
    }
}
