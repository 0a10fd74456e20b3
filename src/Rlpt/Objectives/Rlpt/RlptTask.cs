namespace Rlpt.Objectives.Rlpt;

/// <summary>RLPT's two tasks: Autoregressive Segment Reasoning (predict s_i from s_&lt;i) and Middle Segment Reasoning (predict s_i from s_&lt;i and s_i+1).</summary>
public enum RlptTaskKind { Asr, Msr }

/// <summary>
/// One training or evaluation example built from a document: the prompt the policy sees and the references its
/// prediction is scored against.
/// </summary>
/// <param name="Prompt">The full prompt text, chat-formatted, ending where the model's answer begins.</param>
/// <param name="Context">The preceding segments s_&lt;i the prompt shows, as plain text (PretrainZero's passages start from it).</param>
/// <param name="Reference">The target segment s_i.</param>
/// <param name="ReferenceContinuation">s_i followed by the next segments (the prefix reward's reference).</param>
/// <param name="Document">Document index within its split.</param>
/// <param name="Segment">Index of s_i within the document.</param>
public sealed record RlptTask(RlptTaskKind Kind, string Prompt, string Context, string Reference, string ReferenceContinuation, long Document, int Segment, string Source);
