using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Rlpt.Data.Corpora.Arithmetic;
using Rlpt.Generation;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Objectives.Rlvr;

/// <summary>
/// RLVR on RandomCalculation (arXiv 2507.10532): the policy continues the corpus's own opening "We need to compute EXPR.
/// First," and is rewarded by the value its conclusion states (<see cref="ArithmeticAnswerReward"/>). Problems are
/// generated, never held-out ones (the evaluation's), levels in turn; the n-th is a pure function of (rlvr_seed, n).
/// It needs no dataset text, only the tokenizer: start it from a model pretrained on the arithmetic documents.
/// </summary>
public sealed class RlvrObjective : IRlObjective
{
    public static ObjectiveDefinition Definition { get; } = new("rlvr", "verifiable arithmetic (RandomCalculation) with a continuous or binary reward", typeof(RlvrOptions), Create, RlvrEvaluation.Evaluate);

    private readonly RlvrOptions options;
    private readonly Tokenizer tokenizer;
    private long drawn;

    public RlvrObjective(Tokenizer tokenizer, RlvrOptions options)
    {
        options.Validate();
        this.options = options;
        this.tokenizer = tokenizer;
        Reward = new ArithmeticAnswerReward(options.Reward);
    }

    private static RlvrObjective Create(ObjectiveSetup setup) => new(setup.Tokenizer, setup.Options<RlvrOptions>());

    public string Name => "rlvr";
    public IRolloutReward Reward { get; }
    public IReadOnlyList<IGroupFilter> Filters { get; } = [];
    public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();

    /// <summary>The n-th training problem.</summary>
    public ArithmeticProblem Problem(long index)
    {
        int level = options.MinLevel + (int)(index % (options.MaxLevel - options.MinLevel + 1));
        return ArithmeticDocuments.TrainingProblem(level, SamplingSeeds.Derive($"{options.Seed}/{index}"));
    }

    public RolloutPrompt NextPrompt(RlContext context)
    {
        var problem = Problem(drawn++);
        var prompt = ArithmeticDocuments.Opening(problem.Expression);
        // The demonstration is the corpus document's own continuation of the opening, ending the document.
        string demonstration = problem.Solution![prompt.Length..] + SpecialTokens.EndOfText;
        return new RolloutPrompt(tokenizer.Encode(prompt), [], problem, new Dictionary<string, string> { ["prompt"] = prompt, ["answer"] = problem.Answer.ToString() }, demonstration);
    }

    public JsonObject SaveState() => RunState.ToJson(new State { ProblemsDrawn = drawn });

    public void RestoreState(JsonObject state) => drawn = RunState.FromJson<State>(state, "RLVR").ProblemsDrawn;

    public void AfterUpdate(RlContext context) { }

    public void Dispose() { }

    private sealed record State
    {
        [JsonPropertyName("problems_drawn")] public long ProblemsDrawn { get; init; }
    }
}
