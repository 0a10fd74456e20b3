using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Rlpt.Data.Store;
using Rlpt.Objectives.Rlpt;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Objectives.Empo;

/// <summary>
/// EMPO (arXiv 2504.05812) on the dataset's RLPT tasks used as unlabelled questions: the policy answers between the
/// prediction tags, the G answers are clustered by meaning (<see cref="SemanticClusterReward"/>) and only prompts whose
/// semantic entropy lies in the band are trained on (<see cref="EntropyBandFilter"/>). No reference is ever read. With
/// source = arithmetic (RLPT's task option) the questions are the arithmetic documents' next steps, whose answers are
/// numbers.
/// </summary>
public sealed class EmpoObjective : IRlObjective
{
    public static ObjectiveDefinition Definition { get; } = new("empo", "semantic-entropy minimisation over unlabelled questions", typeof(EmpoOptions), Create, EmpoEvaluation.Evaluate);

    private readonly RlptTaskSampler sampler;
    private readonly Tokenizer tokenizer;
    private long drawn;

    public EmpoObjective(RlptTaskSampler sampler, Tokenizer tokenizer, EmpoOptions options)
    {
        options.Validate();
        this.sampler = sampler;
        this.tokenizer = tokenizer;
        Reward = new SemanticClusterReward(options, PredictionExtractor.Extract);
        Filters = [new EntropyBandFilter(options)];
    }

    private static EmpoObjective Create(ObjectiveSetup setup)
    {
        var data = setup.Dataset("empo");
        return new(new RlptTaskSampler(data.Train, setup.Tokenizer, data.Meta.Sources, setup.Options<RlptTaskOptions>()), setup.Tokenizer, setup.Options<EmpoOptions>());
    }

    public string Name => "empo";
    public IRolloutReward Reward { get; }
    public IReadOnlyList<IGroupFilter> Filters { get; }
    public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();

    public RolloutPrompt NextPrompt(RlContext context)
    {
        var task = sampler.Draw(drawn++);
        return new RolloutPrompt(tokenizer.Encode(task.Prompt), [SpecialTokens.ImEnd], task, new Dictionary<string, string> { ["prompt"] = task.Prompt });
    }

    public JsonObject SaveState() => RunState.ToJson(new State { TasksDrawn = drawn });

    public void RestoreState(JsonObject state) => drawn = RunState.FromJson<State>(state, "EMPO").TasksDrawn;

    public void AfterUpdate(RlContext context) { }

    public void Dispose() { }

    private sealed record State
    {
        [JsonPropertyName("tasks_drawn")] public long TasksDrawn { get; init; }
    }
}
