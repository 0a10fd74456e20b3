using Rlpt.Data.Store;
using Rlpt.Evaluation;
using Rlpt.Modeling;
using Rlpt.Rewards;
using Rlpt.Tokenization;

namespace Rlpt.Objectives;

/// <summary>
/// Evaluates one checkpoint against a dataset's held-out split: each chosen objective's own evaluation, then the
/// objective-free measures (perplexity, arithmetic accuracy).
/// </summary>
public static class CheckpointEvaluation
{
    /// <summary>Checks the options and every objective name before a model is loaded.</summary>
    public static IReadOnlyList<ObjectiveDefinition> Validate(EvaluationOptions options)
    {
        options.Validate();
        options.Arithmetic?.Validate();
        return options.Objectives.Select(ObjectiveRegistry.Get).ToArray();
    }

    /// <param name="bindOptions">Fills each objective's options record (its task options as in training); <see cref="ObjectiveSetup.Defaults"/> for defaults.</param>
    public static EvaluationResult Run(string name, CausalLM model, Tokenizer tokenizer, TokenDataset data, RewardComposer rewards,
        EvaluationOptions options, Func<Type, object> bindOptions, CancellationToken cancellation = default)
    {
        var objectives = Validate(options);
        var result = new EvaluationResult(name);
        if (options.Tasks > 0)
        {
            var setup = new ObjectiveEvaluationSetup(model, tokenizer, data, options, rewards, bindOptions);
            foreach (var objective in objectives) result = objective.Evaluate(setup, result, cancellation);
        }
        return result with
        {
            Perplexity = options.PerplexityWindows > 0 ? PerplexityEvaluator.Evaluate(model, data.Validation, options.SequenceLength, options.PerplexityWindows) : null,
            Arithmetic = options.Arithmetic is { } arithmetic ? new ArithmeticEvaluator(model, tokenizer).Evaluate(arithmetic, cancellation) : null,
        };
    }

    /// <summary>Appends an objective's section to a result.</summary>
    public static EvaluationResult With(this EvaluationResult result, ObjectiveResult objective) =>
        result with { Objectives = [.. result.Objectives ?? [], objective] };
}
