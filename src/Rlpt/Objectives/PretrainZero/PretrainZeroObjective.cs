using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Rlpt.Data.Store;
using Rlpt.Objectives.Rlpt;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;
using Rlpt.Training.Runs;
using static TorchSharp.torch;

namespace Rlpt.Objectives.PretrainZero;

/// <summary>
/// PretrainZero (arXiv 2512.03442): RL on raw passages with one policy in two roles. As mask generator it proposes a
/// span of a passage; as mask predictor it states the span with the passage masked; both roles' rollouts are trained in
/// the same step (<see cref="PretrainZeroReward"/>). GRPO without KL, with clip-higher (the defaults), and groups whose
/// rewards are all equal are dropped (the paper's DAPO filtering; <see cref="NonConstantRewardFilter"/>, always on).
/// With pz_masks = random or next_word the step poses random masks to the predictor only: the paper's baselines.
/// Passages are RLPT tasks' contexts with their target segment; the draw count is the whole state.
/// </summary>
public sealed class PretrainZeroObjective : IRlObjective
{
    public static ObjectiveDefinition Definition { get; } = new("pretrainzero", "mask generation and mask prediction on raw passages (one policy, both roles)", typeof(PretrainZeroOptions), Create, PretrainZeroEvaluation.Evaluate);

    /// <summary>Passages tried per prompt before the data is declared unusable (too short for any valid mask).</summary>
    private const int PassageAttempts = 100;

    private readonly RlptTaskSampler sampler;
    private readonly Tokenizer tokenizer;
    private readonly PretrainZeroOptions options;
    private readonly PretrainZeroReward reward;
    private long drawn;

    public PretrainZeroObjective(RlptTaskSampler sampler, Tokenizer tokenizer, PretrainZeroOptions options)
    {
        options.Validate();
        this.sampler = sampler;
        this.tokenizer = tokenizer;
        this.options = options;
        reward = new PretrainZeroReward(options);
    }

    private static PretrainZeroObjective Create(ObjectiveSetup setup)
    {
        var data = setup.Dataset("pretrainzero");
        return new(Passages(data.Train, setup.Tokenizer, data.Meta.Sources, setup.Options<RlptTaskOptions>()), setup.Tokenizer, setup.Options<PretrainZeroOptions>());
    }

    /// <summary>Passages are drawn as ASR tasks (a context and the segment after it), whatever msr_fraction says.</summary>
    public static RlptTaskSampler Passages(DatasetSplit split, Tokenizer tokenizer, IReadOnlyList<SourceInfo> sources, RlptTaskOptions options) =>
        new(split, tokenizer, sources, options with { MsrFraction = 0 });

    /// <summary>The passage of an RLPT task: its context and target segment, as the document has them.</summary>
    public static string Passage(RlptTask task) => (task.Context + " " + task.Reference).Trim();

    public string Name => "pretrainzero";
    public IRolloutReward Reward => reward;
    public IReadOnlyList<IGroupFilter> Filters { get; } = [new NonConstantRewardFilter()];
    public IReadOnlyDictionary<string, nn.Module> Modules { get; } = new Dictionary<string, nn.Module>();

    public RolloutPrompt NextPrompt(RlContext context)
    {
        for (int attempt = 0; attempt < PassageAttempts; attempt++)
        {
            long draw = drawn++;
            string passage = Passage(sampler.Draw(draw));
            if (options.Masks == PretrainZeroOptions.Generator)
            {
                string text = PretrainZeroPrompts.Generator(passage, options.OpenThink);
                return new RolloutPrompt(tokenizer.Encode(text), [SpecialTokens.ImEnd], new MaskGenerationTask(draw, passage),
                    new Dictionary<string, string> { ["role"] = "generator", ["prompt"] = text });
            }
            if (RandomMask(passage, options.Seed, draw, tokenizer, options) is { } mask)
                return reward.Prompt(new MaskPredictionTask($"{options.Masks}/{draw}", mask), tokenizer);
        }
        throw new InvalidDataException($"{PassageAttempts} passages in a row had no valid {options.Masks} mask: the documents are too short or repetitive for PretrainZero.");
    }

    /// <summary>The baselines' mask of a passage (random span or next word), a pure function of (seed, draw).</summary>
    internal static MaskedPassage? RandomMask(string passage, int seed, long draw, Tokenizer tokenizer, PretrainZeroOptions options)
    {
        var random = new CounterRandom(seed, draw);
        return options.Masks == PretrainZeroOptions.NextWord ? SpanMasking.NextWord(passage, ref random) : SpanMasking.RandomSpan(passage, ref random, tokenizer, options);
    }

    public JsonObject SaveState() => RunState.ToJson(new State { PassagesDrawn = drawn });

    public void RestoreState(JsonObject state) => drawn = RunState.FromJson<State>(state, "PretrainZero").PassagesDrawn;

    public void AfterUpdate(RlContext context) { }

    public void Dispose() { }

    private sealed record State
    {
        [JsonPropertyName("passages_drawn")] public long PassagesDrawn { get; init; }
    }
}
