namespace Rlpt.Rewards;

/// <summary>The instruction sent to the judge: RLPT's prefix criterion, phrased for this library.</summary>
public static class JudgePrompt
{
    public static string Build(string prediction, string reference) =>
        $"""
        You check whether a predicted text correctly continues a document.

        Compare the PREDICTED TEXT with the REFERENCE PASSAGE. Answer 1 when the predicted text says the same thing as
        the opening of the reference passage, that is, when it is a prefix of the reference in meaning. Wording may
        differ. Answer 0 when it adds content the opening does not have, contradicts it, leaves out part of what it
        covers, or starts somewhere later in the reference.

        PREDICTED TEXT:
        {prediction}

        REFERENCE PASSAGE:
        {reference}

        Reply with exactly "Score: 1" or "Score: 0" and nothing else.
        """;
}
