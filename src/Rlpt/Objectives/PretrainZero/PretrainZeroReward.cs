using System.Diagnostics;
using Rlpt.Generation;
using Rlpt.Modeling;
using Rlpt.Tokenization;
using Rlpt.Training.Rl;

namespace Rlpt.Objectives.PretrainZero;

/// <summary>
/// Both roles' rewards in one step. A predictor completion scores r_pred = 1 for an exact match of the masked span
/// (<see cref="SpanAnswers.Matches"/>), else 0. A generator completion's span is checked (<see cref="SpanMasking.Check"/>);
/// a valid one is masked and the policy, as predictor, answers it G times at once: those G rollouts become a group of
/// the batch (<see cref="RolloutBatch.Add"/>) trained like the others, and the generator scores r_gen = 1 − acc, where acc
/// is their accuracy, but 0 when acc = 0 (an unanswerable mask is not "hard", it is useless). Invalid spans score 0.
/// </summary>
public sealed class PretrainZeroReward(PretrainZeroOptions options) : IRolloutReward
{
    public const string PredictorTerm = "pz_prediction";
    public const string GeneratorTerm = "pz_generation";

    public Task<IReadOnlyDictionary<string, double>> ScoreAsync(RolloutBatch batch, RlContext context, CancellationToken cancellation)
    {
        var metrics = new Dictionary<string, double>();
        var generators = batch.Groups.Where(g => g.Prompt.Task is MaskGenerationTask).ToArray();
        foreach (var group in batch.Groups.Where(g => g.Prompt.Task is MaskPredictionTask)) ScorePredictions(group);
        if (generators.Length > 0) ScoreGenerators(batch, generators, context, metrics, cancellation);
        var predictions = batch.Groups.Where(g => g.Prompt.Task is MaskPredictionTask).ToArray();
        var answers = predictions.SelectMany(g => g.Completions).ToArray();
        metrics["pz/predictor_accuracy"] = predictions.Length == 0 ? 0 : predictions.SelectMany(g => g.Rewards).Average();
        metrics["pz/answer_rate"] = answers.Length == 0 ? 0 : answers.Average(c => SpanAnswers.Prediction(c.Text) is null ? 0.0 : 1.0);
        metrics["pz/predictor_groups"] = predictions.Length;
        return Task.FromResult<IReadOnlyDictionary<string, double>>(metrics);
    }

    private static void ScorePredictions(RolloutGroup group)
    {
        var span = ((MaskPredictionTask)group.Prompt.Task).Mask.Span;
        for (int i = 0; i < group.Rewards.Length; i++)
            group.Rewards[i] = SpanAnswers.Matches(SpanAnswers.Prediction(group.Completions[i].Text), span) ? 1 : 0;
        group.RewardTerms[PredictorTerm] = group.Rewards.ToArray();
    }

    private void ScoreGenerators(RolloutBatch batch, IReadOnlyList<RolloutGroup> generators, RlContext context, Dictionary<string, double> metrics, CancellationToken cancellation)
    {
        var verdicts = new Dictionary<SpanVerdict, int>();
        var masks = new List<(RolloutGroup Group, int Completion, MaskPredictionTask Task)>();
        foreach (var group in generators)
        {
            var task = (MaskGenerationTask)group.Prompt.Task;
            for (int i = 0; i < group.Completions.Count; i++)
            {
                var (mask, verdict) = SpanMasking.Check(task.Passage, SpanAnswers.Span(group.Completions[i].Text), context.Tokenizer, options);
                verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
                if (mask is not null) masks.Add((group, i, new MaskPredictionTask($"generated/{task.Draw}/{i}", mask)));
            }
        }
        int samples = generators[0].Completions.Count;
        var clock = Stopwatch.StartNew();
        var predicted = Predict(masks.Select(m => m.Task).ToArray(), samples, context, cancellation);
        metrics["pz/prediction_seconds"] = clock.Elapsed.TotalSeconds;
        var accuracy = new Dictionary<(RolloutGroup, int), double>();
        foreach (var (mask, group) in masks.Zip(predicted))
        {
            ScorePredictions(group);
            accuracy[(mask.Group, mask.Completion)] = group.Rewards.Average();
            batch.Add(group);
        }
        foreach (var group in generators)
        {
            for (int i = 0; i < group.Rewards.Length; i++)
                group.Rewards[i] = accuracy.TryGetValue((group, i), out double acc) ? GeneratorReward(acc) : 0;
            group.RewardTerms[GeneratorTerm] = group.Rewards.ToArray();
        }
        int proposals = generators.Sum(g => g.Completions.Count);
        metrics["pz/mask_valid_rate"] = (double)masks.Count / proposals;
        metrics["pz/generator_reward"] = generators.SelectMany(g => g.Rewards).Average();
        metrics["pz/span_tokens"] = masks.Count == 0 ? 0 : masks.Average(m => context.Tokenizer.Encode(m.Task.Mask.Span).Count);
        foreach (var verdict in Enum.GetValues<SpanVerdict>().Where(v => v != SpanVerdict.Valid))
            metrics[$"pz/rejected/{Snake(verdict)}"] = verdicts.GetValueOrDefault(verdict) / (double)proposals;
    }

    /// <summary>How the predictor's rollouts are produced: by the policy (tests script them to check the bookkeeping).</summary>
    internal Func<RlContext, IReadOnlyList<GenerationRequest>, CancellationToken, IReadOnlyList<GenerationResult>> Generate { get; init; } = PolicyGenerate;

    private static IReadOnlyList<GenerationResult> PolicyGenerate(RlContext context, IReadOnlyList<GenerationRequest> requests, CancellationToken cancellation)
    {
        using var evalMode = new EvalMode(context.Policy);
        return new BatchGenerator(context.Policy, context.Tokenizer).Generate(requests, cancellation);
    }

    /// <summary>r_gen = 1 − acc, but 0 when acc = 0 (the paper's rule).</summary>
    public static double GeneratorReward(double accuracy) => accuracy == 0 ? 0 : 1 - accuracy;

    /// <summary>The policy answers each mask <paramref name="samples"/> times: one group per mask, in order.</summary>
    public IReadOnlyList<RolloutGroup> Predict(IReadOnlyList<MaskPredictionTask> tasks, int samples, RlContext context, CancellationToken cancellation)
    {
        if (tasks.Count == 0) return [];
        var prompts = tasks.Select(t => Prompt(t, context.Tokenizer)).ToArray();
        var requests = prompts.SelectMany(p => Enumerable.Range(0, samples).Select(g => new GenerationRequest(p.PromptIds, new SamplingOptions
        {
            MaxNewTokens = options.AnswerTokens,
            Temperature = context.Temperature,
            StopStrings = p.StopStrings,
            Seed = SamplingSeeds.Derive($"{options.Seed}/{((MaskPredictionTask)p.Task).SeedKey}/{g}"),
        }))).ToArray();
        var completions = Generate(context, requests, cancellation);
        return prompts.Select((p, m) => new RolloutGroup(p, completions.Skip(m * samples).Take(samples).ToArray())).ToArray();
    }

    /// <summary>A predictor prompt for a mask, as both the random baseline and the generator's masks pose it.</summary>
    public RolloutPrompt Prompt(MaskPredictionTask task, Tokenizer tokenizer)
    {
        string text = PretrainZeroPrompts.Predictor(task.Mask, options.OpenThink);
        return new RolloutPrompt(tokenizer.Encode(text), [SpecialTokens.ImEnd], task,
            new Dictionary<string, string> { ["role"] = "predictor", ["prompt"] = text, ["reference"] = task.Mask.Span },
            PretrainZeroPrompts.PredictorExample(task.Mask, options.OpenThink).Completion);
    }

    private static string Snake(SpanVerdict verdict) =>
        string.Concat(verdict.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
