using Rlpt.Data.Store;
using Rlpt.Evaluation;
using Rlpt.Modeling;
using Rlpt.Rewards;
using Rlpt.Tokenization;

namespace Rlpt.Objectives;

/// <summary>
/// What an objective's evaluation reads: the checkpoint, the dataset whose held-out split it draws items from, the
/// shared evaluation options (item count, decoding, seed), the text rewards (RLPT's next-segment score) and a binder for
/// the objective's own options, so an evaluation builds its items exactly as training does.
/// </summary>
public sealed record ObjectiveEvaluationSetup(
    CausalLM Model,
    Tokenizer Tokenizer,
    TokenDataset Data,
    EvaluationOptions Evaluation,
    RewardComposer Rewards,
    Func<Type, object> BindOptions)
{
    public T Options<T>() where T : new() => (T)BindOptions(typeof(T));
}

/// <summary>Adds an objective's own held-out measurement of a checkpoint to its result.</summary>
public delegate EvaluationResult ObjectiveEvaluator(ObjectiveEvaluationSetup setup, EvaluationResult result, CancellationToken cancellation);
