using Rlpt.Objectives.Empo;
using Rlpt.Objectives.Rlp;
using Rlpt.Objectives.Rlpt;
using Rlpt.Training.Rl;

namespace Rlpt.Objectives;

/// <summary>An objective by name: how to build it and the type of its options record (bound before any compute).</summary>
public sealed record ObjectiveDefinition(string Name, string Description, Type OptionsType, Func<ObjectiveSetup, IRlObjective> Create);

/// <summary>
/// The RL objectives <c>rlpt train --objective NAME</c> can train. A new objective is a folder with its task, reward and
/// options, plus one line here.
/// </summary>
public static class ObjectiveRegistry
{
    private static readonly ObjectiveDefinition[] Definitions =
    [
        RlptObjective.Definition,
        RlpObjective.Definition,
        EmpoObjective.Definition,
    ];

    public static IReadOnlyCollection<string> Names { get; } = Definitions.Select(d => d.Name).ToArray();

    public static ObjectiveDefinition Get(string name) =>
        Definitions.FirstOrDefault(d => d.Name == name)
            ?? throw new ArgumentException($"unknown objective '{name}' (known: {string.Join(", ", Names)}).");
}
