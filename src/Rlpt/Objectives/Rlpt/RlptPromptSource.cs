using Rlpt.Training.Rl;

namespace Rlpt.Objectives.Rlpt;

/// <summary>RLPT tasks as RL prompts. Draws are pure functions of their index, so the count drawn is the whole state.</summary>
public sealed class RlptPromptSource(RlptTaskSampler sampler) : IPromptSource
{
    public long Drawn { get; private set; }

    public RlPrompt Next() => ToPrompt(sampler.Draw(Drawn++));

    public void Restore(long drawn) => Drawn = drawn;

    public static RlPrompt ToPrompt(RlptTask task) => new(task.Prompt, task.Reference, task.ReferenceContinuation, new Dictionary<string, string>
    {
        ["kind"] = task.Kind.ToString().ToLowerInvariant(),
        ["source"] = task.Source,
        ["document"] = task.Document.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["segment"] = task.Segment.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });
}
