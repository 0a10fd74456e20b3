namespace Rlpt.Objectives.Rlp;

/// <summary>One scored position: the document tokens before t (the prompt's context) and the k tokens from t on.</summary>
public sealed record RlpTask(IReadOnlyList<int> Context, IReadOnlyList<int> Scored, long Document, int Position);
