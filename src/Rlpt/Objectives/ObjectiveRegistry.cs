using Rlpt.Objectives.Empo;
using Rlpt.Objectives.PretrainZero;
using Rlpt.Objectives.Rlp;
using Rlpt.Objectives.Rlpt;
using Rlpt.Objectives.Rlvr;
using Rlpt.Training.Rl;

namespace Rlpt.Objectives;

/// <summary>
/// An objective by name: how to build it for training, the type of its options record (bound before any compute) and
/// its own held-out evaluation, which `rlpt eval --objective NAME` and the demo run.
/// </summary>
public sealed record ObjectiveDefinition(string Name, string Description, Type OptionsType, Func<ObjectiveSetup, IRlObjective> Create, ObjectiveEvaluator Evaluate);

/// <summary>
/// The RL objectives <c>rlpt train --objective NAME</c> can train and <c>rlpt eval --objective NAME</c> can measure. A
/// new objective is a folder with its task, reward, options and evaluation, plus one line here.
/// </summary>
public static class ObjectiveRegistry
{
    private static readonly List<ObjectiveDefinition> Definitions =
    [
        RlptObjective.Definition,
        RlpObjective.Definition,
        EmpoObjective.Definition,
        RlvrObjective.Definition,
        PretrainZeroObjective.Definition,
    ];

    public static IReadOnlyCollection<string> Names
    {
        get { lock (Definitions) return Definitions.Select(d => d.Name).ToArray(); }
    }

    public static ObjectiveDefinition Get(string name)
    {
        lock (Definitions)
            return Definitions.FirstOrDefault(d => d.Name == name)
                ?? throw new ArgumentException($"unknown objective '{name}' (known: {string.Join(", ", Definitions.Select(d => d.Name))}).");
    }

    /// <summary>
    /// Adds an objective from outside the library (a program's own), so the library's evaluation and tools find it by
    /// name like the built-in ones. Names are unique.
    /// </summary>
    public static void Register(ObjectiveDefinition definition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(definition.Name);
        lock (Definitions)
        {
            if (Definitions.Any(d => d.Name == definition.Name)) throw new ArgumentException($"an objective named '{definition.Name}' is already registered.");
            Definitions.Add(definition);
        }
    }
}
