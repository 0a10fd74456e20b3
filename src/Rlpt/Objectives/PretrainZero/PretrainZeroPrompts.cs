using Rlpt.Tokenization;
using Rlpt.Training.Sft;

namespace Rlpt.Objectives.PretrainZero;

/// <summary>
/// The two roles' user messages and the cold start's answers in their formats. Written after the paper's description
/// of its prompts (a span that is predictable but not trivial, copied exactly inside \mask{}; the answer inside
/// \boxed{}), not copied from it.
/// </summary>
public static class PretrainZeroPrompts
{
    public const string GeneratorRationale = "A good span can be worked out from the words around it without being obvious.";
    public const string PredictorRationale = "The missing words have to fit the text before and after the mask.";

    public static string Generator(string passage, bool openThink) => ChatFormat.UserPrompt(
        "### Passage\n" + passage + "\n\n### Task\nChoose a short span of consecutive words from the passage that a reader " +
        "could work out from the rest of it, and copy it exactly inside " + SpanAnswers.MaskOpener + "}.", openThink);

    public static string Predictor(MaskedPassage mask, bool openThink) => ChatFormat.UserPrompt(
        "### Passage\n" + mask.Masked + "\n\n### Task\nSome words of the passage were replaced by " + SpanMasking.Mask +
        ". Work out the missing words and write them inside " + SpanAnswers.BoxedOpener + "}.", openThink);

    /// <summary>Cold-start examples in both formats, the true span as both answers: they teach the format, not a choice.</summary>
    public static SftExample GeneratorExample(MaskedPassage mask, bool openThink) =>
        new(Generator(mask.Passage, openThink), Answer(SpanAnswers.MaskOpener, mask.Span, GeneratorRationale, openThink));

    public static SftExample PredictorExample(MaskedPassage mask, bool openThink) =>
        new(Predictor(mask, openThink), Answer(SpanAnswers.BoxedOpener, mask.Span, PredictorRationale, openThink));

    private static string Answer(string opener, string span, string rationale, bool openThink) =>
        (openThink ? rationale + "\n" + SpecialTokens.ThinkEnd + "\n" : "") + opener + span + "}" + SpecialTokens.ImEnd;
}
