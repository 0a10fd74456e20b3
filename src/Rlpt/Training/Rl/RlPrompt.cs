namespace Rlpt.Training.Rl;

/// <summary>One prompt for RL with what its rewards compare against (see <c>Rewards.RewardInput</c>).</summary>
public sealed record RlPrompt(string Prompt, string Reference, string ReferenceContinuation, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// Where the RL trainer draws prompts from. Its whole state is the number of prompts drawn so far, so a checkpoint
/// resumes on exactly the next prompt.
/// </summary>
public interface IPromptSource
{
    long Drawn { get; }
    RlPrompt Next();
    /// <summary>Continues as if <paramref name="drawn"/> prompts had been drawn.</summary>
    void Restore(long drawn);
}
