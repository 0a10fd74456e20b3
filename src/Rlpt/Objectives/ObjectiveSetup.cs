using Rlpt.Data.Store;
using Rlpt.Modeling;
using Rlpt.Rewards;
using Rlpt.Tokenization;
using static TorchSharp.torch;

namespace Rlpt.Objectives;

/// <summary>
/// What an objective is built from: the dataset whose training split feeds its prompts (null for objectives that read
/// none, such as RLVR's generated problems), the policy and its tokenizer, the
/// reward choice (for objectives with text rewards) and a binder that fills the objective's own options record (from
/// documented defaults, a config file and flags on the command line).
/// </summary>
public sealed record ObjectiveSetup(
    TokenDataset? Data,
    CausalLM Policy,
    Tokenizer Tokenizer,
    Device Device,
    Func<Type, object> BindOptions,
    IReadOnlyDictionary<string, double>? RewardWeights = null,
    JudgeSource? Judge = null,
    Action<string>? Log = null)
{
    public T Options<T>() where T : new() => (T)BindOptions(typeof(T));

    /// <summary>The dataset, for the objectives that draw from one.</summary>
    public TokenDataset Dataset(string objective) =>
        Data ?? throw new ArgumentException($"the {objective} objective draws its prompts from a dataset: give --data.");

    /// <summary>Options from their documented defaults only (library use and tests).</summary>
    public static Func<Type, object> Defaults { get; } = type => Activator.CreateInstance(type)!;
}
