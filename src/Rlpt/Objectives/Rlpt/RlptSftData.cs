using Rlpt.Training.Sft;
using Rlpt.Tokenization;

namespace Rlpt.Objectives.Rlpt;

/// <summary>
/// Cold-start SFT examples for RLPT tasks. The paper needs a cold-start SFT stage so the policy answers in the
/// task's format before RL; these examples teach exactly that format with the true segment as the prediction.
/// </summary>
/// <remarks>
/// The rationale is one fixed, generic sentence per task kind. It only shows where reasoning goes: a made-up
/// argument that pretends to derive the answer would teach the model to rationalise, and real reasoning is what
/// RL is meant to discover.
/// </remarks>
public static class RlptSftData
{
    public const string AsrRationale = "The next sentence should follow on from the last sentence of the context and keep its topic and style.";
    public const string MsrRationale = "The missing sentence has to follow from the text before the mask and lead into the sentence after it.";

    /// <summary>The task's prompt with a completion that reasons briefly and predicts the task's reference.</summary>
    public static SftExample FromTask(RlptTask task, RlptPromptTemplates templates) =>
        new(task.Prompt, Completion(task.Kind, task.Reference, templates.OpenThink));

    /// <summary>
    /// "&lt;think&gt;\n{rationale}\n&lt;/think&gt;\n&lt;|startofprediction|&gt;{prediction}&lt;|endofprediction|&gt;&lt;|im_end|&gt;",
    /// without the opening "&lt;think&gt;\n" when the prompt already ends with it.
    /// </summary>
    public static string Completion(RlptTaskKind kind, string prediction, bool promptOpensThink) =>
        (promptOpensThink ? "" : SpecialTokens.ThinkStart + "\n") +
        (kind == RlptTaskKind.Asr ? AsrRationale : MsrRationale) + "\n" + SpecialTokens.ThinkEnd + "\n" +
        SpecialTokens.StartOfPrediction + prediction + SpecialTokens.EndOfPrediction + SpecialTokens.ImEnd;
}
